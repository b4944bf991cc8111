using System.Diagnostics;

namespace Vitrina.ClusterHarness;

/// <summary>
/// Samples the catalogue's row count while a scenario runs, so throughput before and after an event (a kill, a
/// restart) can be compared, and waits for the catalogue to reach a count.
/// </summary>
public sealed class CatalogueTimeline(ProcessCluster cluster)
{
    private readonly List<(TimeSpan At, long Rows)> samples = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public TimeSpan Now => clock.Elapsed;

    public long Rows => samples.Count == 0 ? 0 : samples[^1].Rows;

    public async Task<long> Sample()
    {
        var (rows, _) = await cluster.CatalogueCounts();
        samples.Add((clock.Elapsed, rows));
        return rows;
    }

    /// <summary>Samples every 250 ms until the catalogue holds at least <paramref name="rows"/> rows.</summary>
    public async Task WaitFor(long rows, TimeSpan timeout)
    {
        var deadline = clock.Elapsed + timeout;
        while (await Sample() < rows)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"the catalogue reached {Rows} of {rows} rows in {timeout}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Rows per second between two moments.</summary>
    public double Rate(TimeSpan from, TimeSpan to)
    {
        var inWindow = samples.Where(s => s.At >= from && s.At <= to).ToList();
        return inWindow.Count < 2 ? 0 : (inWindow[^1].Rows - inWindow[0].Rows) / (inWindow[^1].At - inWindow[0].At).TotalSeconds;
    }

    /// <summary>Throughput before and after an incident, its lowest 3-second window, and when it came back (for reports).</summary>
    public string Describe(TimeSpan incident)
    {
        var window = TimeSpan.FromSeconds(3);
        var after = samples.Where(s => s.At > incident && s.At + window <= samples[^1].At).Select(s => Rate(s.At, s.At + window)).DefaultIfEmpty(0);
        return $"throughput {Rate(incident - TimeSpan.FromSeconds(10), incident):F1} rows/s in the 10 s before, lowest 3 s window after {after.Min():F1} rows/s, " +
            $"back to half the rate after {RecoveryAfter(incident)?.TotalSeconds.ToString("F1") ?? "(never)"} s, " +
            $"{Rate(incident, samples[^1].At):F1} rows/s from the incident to the end";
    }

    /// <summary>
    /// Time from <paramref name="incident"/> until a 3-second window runs at half the rate of the 10 seconds before
    /// it (null if that never happens before the work ends).
    /// </summary>
    public TimeSpan? RecoveryAfter(TimeSpan incident)
    {
        var before = Rate(incident - TimeSpan.FromSeconds(10), incident);
        var window = TimeSpan.FromSeconds(3);
        foreach (var (at, _) in samples.Where(s => s.At > incident))
        {
            if (Rate(at, at + window) >= before / 2 && samples[^1].At >= at + window)
            {
                return at - incident;
            }
        }

        return null;
    }
}
