using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Vitrina.Tests.Support;

/// <summary>
/// The measurements one meter's instruments publish while this is alive, summed per instrument and tag set. Tests run
/// one at a time (xunit.runner.json), so what arrives meanwhile is the test's own.
/// </summary>
public sealed class RecordedMetrics : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, double> sums = new();
    private readonly ConcurrentDictionary<string, double> last = new();

    public RecordedMetrics(Meter meter)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    /// <summary>The sum of what <paramref name="instrument"/> recorded with the tag <paramref name="tag"/>=<paramref name="value"/>, or with any tags.</summary>
    public double Sum(string instrument, string? tag = null, string? value = null) =>
        sums.Where(kv => Matches(kv.Key, instrument, tag, value)).Sum(kv => kv.Value);

    /// <summary>The last value <paramref name="instrument"/> recorded with the tag <paramref name="tag"/>=<paramref name="value"/>.</summary>
    public double? Last(string instrument, string tag, string value) =>
        last.TryGetValue(Key(instrument, [new(tag, value)]), out var recorded) ? recorded : null;

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = Key(instrument.Name, tags.ToArray());
        sums.AddOrUpdate(key, value, (_, sum) => sum + value);
        last[key] = value;
    }

    private static string Key(string instrument, KeyValuePair<string, object?>[] tags) =>
        instrument + string.Concat(tags.Where(t => t.Value is not null).OrderBy(t => t.Key).Select(t => $"|{t.Key}={t.Value}"));

    private static bool Matches(string key, string instrument, string? tag, string? value) =>
        (key == instrument || key.StartsWith(instrument + "|", StringComparison.Ordinal))
        && (tag is null || key.Contains($"|{tag}={value}", StringComparison.Ordinal));

    public void Dispose() => listener.Dispose();
}
