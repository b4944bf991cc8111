using Orleans.Runtime;
using Vitrina.Silos;

namespace Vitrina.Grains.Silos;

/// <summary>
/// Collects the silos' reports (<see cref="SiloReporter"/>) and answers with each live silo's activity. A silo leaves the
/// list when membership declares it dead, or when it has not reported for <see cref="Forgotten"/> (a silo of another
/// cluster generation, or one whose reports cannot get through).
/// </summary>
public sealed class SiloRosterGrain(IClusterMembershipService membership, TimeProvider time) : Grain, ISiloRosterGrain
{
    public static readonly TimeSpan Forgotten = TimeSpan.FromMinutes(2);

    private readonly Dictionary<SiloAddress, SiloReportHistory> silos = [];

    public Task Report(SiloReport report)
    {
        var now = time.GetUtcNow();
        if (!silos.TryGetValue(report.Silo, out var reports))
        {
            Forget(now); // a silo joins: those gone are dropped here too, not only when someone lists them
            silos[report.Silo] = reports = new SiloReportHistory();
        }

        reports.Add(report, now);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SiloActivity>> List()
    {
        var now = time.GetUtcNow();
        Forget(now);
        var snapshot = membership.CurrentSnapshot;
        var live = silos.Select(s => s.Value.Activity(snapshot.GetSiloStatus(s.Key).ToString(), now));
        return Task.FromResult<IReadOnlyList<SiloActivity>>([.. live.OrderBy(s => s.Address, StringComparer.Ordinal)]);
    }

    /// <summary>Drops the silos membership declared dead and those not heard from for <see cref="Forgotten"/>.</summary>
    private void Forget(DateTimeOffset now)
    {
        var snapshot = membership.CurrentSnapshot;
        foreach (var (silo, reports) in silos.ToList())
        {
            if (snapshot.GetSiloStatus(silo) == SiloStatus.Dead || now - reports.HeardAt > Forgotten)
            {
                silos.Remove(silo);
            }
        }
    }
}
