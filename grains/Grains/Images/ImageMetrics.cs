using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vitrina.Grains.Images;

/// <summary>Per-stage timings of image processing (fetch, prepare, classify, file), for dashboards and the benchmark.</summary>
public static class ImageMetrics
{
    public static readonly Meter Meter = new("Vitrina.Images");
    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>("vitrina.image.stage_duration", "ms");
    private static readonly Counter<long> Processed = Meter.CreateCounter<long>("vitrina.image.processed", "{image}");

    public static void RecordStage(string stage, long startTimestamp) =>
        StageDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, new KeyValuePair<string, object?>("stage", stage));

    public static void RecordOutcome(ImageStatus status) =>
        Processed.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));
}
