using System.Diagnostics.Metrics;

namespace Vitrina.Grains.Catalogue;

/// <summary>How the catalogue writes: rows per transaction shows whether filings are being batched under load.</summary>
public static class CatalogueMetrics
{
    public static readonly Meter Meter = new("Vitrina.Catalogue");
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("vitrina.catalogue.batch_size", "{row}");

    public static void RecordBatch(int rows) => BatchSize.Record(rows);
}
