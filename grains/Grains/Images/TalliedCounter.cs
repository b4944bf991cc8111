using System.Diagnostics.Metrics;

namespace Vitrina.Grains.Images;

/// <summary>
/// A metric counter whose running total this silo can also read back, for its dashboard: a metrics counter only
/// exports its increments.
/// </summary>
internal sealed class TalliedCounter(Meter meter, string name, string unit)
{
    private readonly Counter<long> counter = meter.CreateCounter<long>(name, unit);
    private long total;

    public long Total => Interlocked.Read(ref total);

    public void Add()
    {
        counter.Add(1);
        Interlocked.Increment(ref total);
    }
}
