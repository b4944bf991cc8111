using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vitrina.Grains.Images;

/// <summary>
/// Per-stage timings and outcomes of image processing (fetch, prepare, classify, file), for metrics, the dashboard,
/// the silo roster and the benchmark. One per silo: the metric instruments are the process's, while the totals read
/// back here are this silo's own (tests run several silos in one process).
/// </summary>
public sealed class ImageMetrics
{
    public static readonly Meter Meter = new("Vitrina.Images");

    /// <summary>From a decode's milliseconds to a fetch's retries and 30 s timeout.</summary>
    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram("vitrina.image.stage_duration", "ms", null, null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000] });
    private static readonly Counter<long> Processed = Meter.CreateCounter<long>("vitrina.image.processed", "{image}");
    private static readonly Counter<long> Abandoned = Meter.CreateCounter<long>("vitrina.image.abandoned", "{image}");
    private static readonly Counter<long> HandedBack = Meter.CreateCounter<long>("vitrina.image.handed_back", "{image}");
    private static readonly Counter<long> Deferred = Meter.CreateCounter<long>("vitrina.image.deferred", "{image}");
    private static readonly Counter<long> Errored = Meter.CreateCounter<long>("vitrina.image.errored", "{image}");
    private static readonly Counter<long> FetchMemoryWaits = Meter.CreateCounter<long>("vitrina.image.fetch_memory_waits", "{image}");
    private static readonly Counter<long> DecodeMemoryWaits = Meter.CreateCounter<long>("vitrina.image.decode_memory_waits", "{image}");
    private static readonly Counter<long> PreparedAgain = Meter.CreateCounter<long>("vitrina.image.prepared_again", "{image}");

    private long finished;
    private long abandoned;
    private long handedBack;
    private long fetchMemoryWaits;
    private long decodeMemoryWaits;
    private long preparedAgain;

    /// <summary>Images this silo finished (catalogued, queued for moderation or failed) since it started.</summary>
    public long FinishedCount => Interlocked.Read(ref finished);

    /// <summary>Images this silo gave up past their deadline since it started.</summary>
    public long AbandonedCount => Interlocked.Read(ref abandoned);

    /// <summary>Images handed back to their account by a full classifier queue since this silo started.</summary>
    public long HandedBackCount => Interlocked.Read(ref handedBack);

    /// <summary>Fetches that waited for this silo's <see cref="FetchMemory"/> since it started.</summary>
    public long FetchMemoryWaitCount => Interlocked.Read(ref fetchMemoryWaits);

    /// <summary>Decodes that waited for this silo's <see cref="DecodeMemory"/> since it started.</summary>
    public long DecodeMemoryWaitCount => Interlocked.Read(ref decodeMemoryWaits);

    public void RecordStage(string stage, long startTimestamp) =>
        StageDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, new KeyValuePair<string, object?>("stage", stage));

    /// <param name="failedAt">For a failed image, the stage that failed it (fetch or decode).</param>
    public void RecordOutcome(ImageStatus status, string? failedAt)
    {
        var outcome = new KeyValuePair<string, object?>("status", status.ToString());
        if (failedAt is null)
        {
            Processed.Add(1, outcome); // no empty failed_at on every photo filed
        }
        else
        {
            Processed.Add(1, outcome, new KeyValuePair<string, object?>("failed_at", failedAt));
        }
        Interlocked.Increment(ref finished);
    }

    /// <summary>An image not finished by its caller's deadline: stopped, nothing filed, handed over again by the next poll.</summary>
    /// <param name="stage">Where it was stopped: fetch, prepare, classify or file.</param>
    public void RecordAbandoned(string stage)
    {
        Abandoned.Add(1, new KeyValuePair<string, object?>("stage", stage));
        Interlocked.Increment(ref abandoned);
    }

    /// <summary>An image the classifier kept refusing: nothing filed, its account submits the post again.</summary>
    public void RecordHandedBack()
    {
        HandedBack.Add(1);
        Interlocked.Increment(ref handedBack);
    }

    /// <summary>Photos prepared a second time because a model version with another input came into service meanwhile.</summary>
    public long PreparedAgainCount => Interlocked.Read(ref preparedAgain);

    public void RecordPreparedAgain()
    {
        PreparedAgain.Add(1);
        Interlocked.Increment(ref preparedAgain);
    }

    /// <summary>An image whose fetch kept failing in a way that may pass: nothing filed, its account tries it at a later poll.</summary>
    public void RecordDeferred() => Deferred.Add(1);

    /// <summary>An image stopped by an error of the system's (<see cref="ImageErrorLog"/>): nothing filed, its account tries it again.</summary>
    /// <param name="kind">The error's kind (<see cref="Diagnostics.RepeatedErrors.KindOf"/>), tagged <c>error.type</c> as OpenTelemetry names it.</param>
    public void RecordErrored(string kind) => Errored.Add(1, new KeyValuePair<string, object?>("error.type", kind));

    /// <summary>A fetch that waited for the photos fetched before it to be prepared (<see cref="FetchMemory"/>).</summary>
    public void RecordFetchMemoryWait()
    {
        FetchMemoryWaits.Add(1);
        Interlocked.Increment(ref fetchMemoryWaits);
    }

    /// <summary>A decode that waited for the photos being decoded before it (<see cref="DecodeMemory"/>).</summary>
    public void RecordDecodeMemoryWait()
    {
        DecodeMemoryWaits.Add(1);
        Interlocked.Increment(ref decodeMemoryWaits);
    }
}
