using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Vitrina.Benchmarks;

/// <summary>Collects every histogram measurement of Vitrina's meters, keyed by instrument and stage tag, and sums their counters.</summary>
public sealed class MetricSamples : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> samples = new();
    private readonly ConcurrentDictionary<string, StrongBox<long>> totals = new();
    private readonly ConcurrentDictionary<string, StrongBox<long>> counters = new();
    private volatile bool frozen;

    public MetricSamples()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name.StartsWith("Vitrina.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            Interlocked.Add(ref counters.GetOrAdd(instrument.Name, _ => new StrongBox<long>()).Value, value));
        listener.Start();
    }

    public IReadOnlyCollection<double> Get(string key) => samples.TryGetValue(key, out var bag) ? bag.ToArray() : [];

    /// <summary>Removes the samples kept so far and keeps new ones again; <see cref="Total"/> keeps counting.</summary>
    public void Clear()
    {
        samples.Clear();
        frozen = false;
    }

    /// <summary>Keeps no further samples (the end of a measured window); <see cref="Total"/> keeps counting.</summary>
    public void Freeze() => frozen = true;

    /// <summary>How many measurements of <paramref name="key"/> were made since this listener started.</summary>
    public long Total(string key) => totals.TryGetValue(key, out var total) ? Interlocked.Read(ref total.Value) : 0;

    /// <summary>The sum of counter <paramref name="name"/>'s increments since this listener started.</summary>
    public long Counted(string name) => counters.TryGetValue(name, out var sum) ? Interlocked.Read(ref sum.Value) : 0;

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = instrument.Name;
        foreach (var tag in tags)
        {
            if (tag.Key == "stage")
            {
                key = $"{key}:{tag.Value}";
            }
        }

        if (!frozen)
        {
            samples.GetOrAdd(key, _ => []).Add(value);
        }

        Interlocked.Increment(ref totals.GetOrAdd(key, _ => new StrongBox<long>()).Value);
    }

    public void Dispose() => listener.Dispose();
}
