using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vitrina.Grains.Images;

/// <summary>Per-stage timings and outcomes of image processing (fetch, prepare, classify, file), for dashboards and the benchmark.</summary>
public static class ImageMetrics
{
    public static readonly Meter Meter = new("Vitrina.Images");
    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>("vitrina.image.stage_duration", "ms");
    private static readonly Counter<long> Processed = Meter.CreateCounter<long>("vitrina.image.processed", "{image}");
    private static readonly TalliedCounter Abandoned = new(Meter, "vitrina.image.abandoned", "{image}");
    private static readonly TalliedCounter HandedBack = new(Meter, "vitrina.image.handed_back", "{image}");

    public static void RecordStage(string stage, long startTimestamp) =>
        StageDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, new KeyValuePair<string, object?>("stage", stage));

    public static void RecordOutcome(ImageStatus status) =>
        Processed.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));

    /// <summary>Images this silo gave up past their deadline since it started (the dashboard shows it).</summary>
    public static long AbandonedCount => Abandoned.Total;

    /// <summary>An image not finished by its caller's deadline: stopped, nothing filed, handed over again by the next poll.</summary>
    public static void RecordAbandoned() => Abandoned.Add();

    /// <summary>Images handed back to their account by a full classifier queue since this silo started.</summary>
    public static long HandedBackCount => HandedBack.Total;

    /// <summary>An image the classifier kept refusing: nothing filed, its account submits the post again.</summary>
    public static void RecordHandedBack() => HandedBack.Add();
}
