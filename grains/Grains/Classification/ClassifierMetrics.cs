using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Vitrina.Grains.Classification;

/// <summary>
/// The classifier's instruments (meter <c>Vitrina.Classifier</c>): batches and their waits, the backlog, refusals,
/// failures, model loads and CUDA fallbacks, recorded by the model host, its queue and the serving model.
/// </summary>
public static class ClassifierMetrics
{
    public static readonly Meter Meter = new("Vitrina.Classifier");

    // Bucket bounds for the ranges these take: the SDK's defaults (0, 5, 10, 25...) put every queue wait of a 5 ms
    // delay in one bucket and cannot tell a batch of 16 from one of 32.
    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram("vitrina.classifier.batch_size", "{image}", null, null,
        new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 24, 32, 48, 64, 128, 256, 512, 1024] });
    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram("vitrina.classifier.queue_wait", "ms", null, null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] });
    private static readonly UpDownCounter<int> Queued = Meter.CreateUpDownCounter<int>("vitrina.classifier.queued", "{image}");
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("vitrina.classifier.rejected", "{request}");
    private static readonly Counter<long> Abandoned = Meter.CreateCounter<long>("vitrina.classifier.abandoned", "{request}");
    private static readonly Counter<long> FailedBatches = Meter.CreateCounter<long>("vitrina.classifier.failed_batches", "{batch}");
    private static readonly Counter<long> LoadFailures = Meter.CreateCounter<long>("vitrina.classifier.model_load_failures");
    private static readonly Counter<long> CudaFallbacks = Meter.CreateCounter<long>("vitrina.classifier.cuda_fallbacks");

    /// <summary>A batch classified: its size.</summary>
    public static void RecordBatch(int size) => BatchSizes.Record(size);

    /// <summary>A photo taken into a batch, after waiting since <paramref name="enqueued"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static void RecordQueueWait(long enqueued, long now) => QueueWait.Record(Stopwatch.GetElapsedTime(enqueued, now).TotalMilliseconds);

    /// <summary>Photos added to (positive) or taken from (negative) the backlog.</summary>
    public static void RecordQueued(int change) => Queued.Add(change);

    public static void RecordRejected() => Rejected.Add(1);

    public static void RecordAbandoned(int requests) => Abandoned.Add(requests);

    public static void RecordFailedBatch(string stage, string errorType) =>
        FailedBatches.Add(1, new KeyValuePair<string, object?>("stage", stage), new KeyValuePair<string, object?>("error.type", errorType));

    public static void RecordLoadFailure() => LoadFailures.Add(1);

    public static void RecordCudaFallback() => CudaFallbacks.Add(1);
}
