using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Vitrina.Benchmarks;

/// <summary>Collects every histogram measurement of Vitrina's meters, keyed by instrument and stage tag.</summary>
public sealed class MetricSamples : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> samples = new();

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
        listener.Start();
    }

    public IReadOnlyCollection<double> Get(string key) => samples.TryGetValue(key, out var bag) ? bag.ToArray() : [];

    public void Clear() => samples.Clear();

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

        samples.GetOrAdd(key, _ => []).Add(value);
    }

    public void Dispose() => listener.Dispose();
}
