using Microsoft.Extensions.Hosting;
using Vitrina.Retraining;

namespace Vitrina.Grains.Retraining;

/// <summary>Wakes the training grain once the silo has started, so its durable retraining reminder exists.</summary>
public sealed class TrainingSchedule(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<TrainingSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.GetGrain<ITrainingGrain>(0).Start();
                return;
            }
            catch (Exception e) when (attempt < 10 && e is not OperationCanceledException)
            {
                logger.LogWarning("Training schedule not set up yet ({Error}); retrying", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
            }
        }
    }
}
