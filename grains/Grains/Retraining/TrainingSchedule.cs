using Microsoft.Extensions.Hosting;
using Vitrina.Retraining;

namespace Vitrina.Grains.Retraining;

/// <summary>Wakes the training grain once the silo has started, so its durable retraining reminder exists.</summary>
public sealed class TrainingSchedule(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<TrainingSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously); // not inside the host's start-up callback
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.GetGrain<ITrainingGrain>(0).Start();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (attempt == 10)
                {
                    // A background service that throws stops the host: retraining is not worth the silo's ingest.
                    logger.LogError(e, "Retraining is not scheduled on this silo after {Attempts} attempts", attempt);
                    return;
                }

                logger.LogWarning("Training schedule not set up yet ({Error}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
