using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Images;
using Vitrina.Grains.Placement;
using Vitrina.Silos;

namespace Vitrina.Grains.Silos;

/// <summary>
/// Sends this silo's totals to the <see cref="ISiloRosterGrain"/> every <see cref="Interval"/>, from the moment the silo
/// has started until it begins to stop, every role alike: what an operator compares across silos is where photos are
/// prepared, where they are classified, and whose queue is full.
/// </summary>
public sealed class SiloReporter(
    IGrainFactory grains,
    ILocalSiloDetails local,
    SiloDescription description,
    ModelHost models,
    ImageMetrics images,
    FetchMemory fetched,
    IHostApplicationLifetime lifetime,
    ILogger<SiloReporter> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Stopping as soon as the silo starts to drain: the roster may be on a silo going away, and its list of live
        // silos comes from membership anyway.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        try
        {
            await Started(stopping.Token);
            var startedAt = DateTimeOffset.UtcNow;
            var uptime = System.Diagnostics.Stopwatch.StartNew();
            using var timer = new PeriodicTimer(Interval);
            var failures = 0;
            do
            {
                try
                {
                    await grains.GetGrain<ISiloRosterGrain>(0).Report(Read(startedAt, uptime.Elapsed));
                    failures = 0;
                }
                catch (Exception e) when (!stopping.IsCancellationRequested)
                {
                    // The roster moving with a silo that died: the next report reaches its new activation.
                    if (++failures == 3)
                    {
                        logger.LogWarning("Silo reports to the roster have failed 3 times in a row; the dashboard's silo list misses this silo: {Error}", e.Message);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stopping.Token));
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Grain calls from outside a grain work once the silo has started.</summary>
    private async Task Started(CancellationToken cancellation)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellation);
    }

    private SiloReport Read(DateTimeOffset startedAt, TimeSpan uptime)
    {
        var (queued, limit) = models.Queue;
        return new SiloReport
        {
            Silo = local.SiloAddress,
            Name = local.Name,
            Roles = description.Roles,
            Device = description.Device,
            Uptime = uptime,
            StartedAt = startedAt,
            Model = models.Loaded ? models.Current.Manifest.Version : null,
            RefusedModel = models.RefusedVersion,
            ServedOn = models.ServedOn,
            Classified = models.Classified,
            Batches = models.Batches,
            Queued = queued,
            QueueLimit = limit,
            Refused = models.Refused,
            ImagesFinished = images.FinishedCount,
            HandedBack = images.HandedBackCount,
            GaveUp = images.AbandonedCount,
            WorkingSetMiB = Environment.WorkingSet / (1024 * 1024),
            FetchedMiB = fetched.Held / (1024 * 1024),
            FetchMemoryMiB = fetched.Limit / (1024 * 1024),
        };
    }
}
