using System.Diagnostics.Metrics;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// How the catalogue writes: rows per transaction shows whether filings are being batched under load; photos withdrawn
/// and reinstated show shops deleting (selling) and restoring posts.
/// </summary>
public static class CatalogueMetrics
{
    public static readonly Meter Meter = new("Vitrina.Catalogue");
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram("vitrina.catalogue.batch_size", "{row}", null, null,
        new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512] });

    private static readonly Counter<int> Withdrawn = Meter.CreateCounter<int>("vitrina.catalogue.withdrawn", "{photo}");
    private static readonly Counter<int> Reinstated = Meter.CreateCounter<int>("vitrina.catalogue.reinstated", "{photo}");

    public static void RecordBatch(int rows) => BatchSize.Record(rows);

    public static void RecordWithdrawn(int photos) => Withdrawn.Add(photos);

    public static void RecordReinstated(int photos) => Reinstated.Add(photos);
}
