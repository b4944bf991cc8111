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

    private readonly Dictionary<SiloAddress, SiloReports> silos = [];

    public Task Report(SiloReport report)
    {
        if (!silos.TryGetValue(report.Silo, out var reports))
        {
            silos[report.Silo] = reports = new SiloReports();
        }

        reports.Add(report, time.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SiloActivity>> List()
    {
        var now = time.GetUtcNow();
        var snapshot = membership.CurrentSnapshot;
        var live = new List<SiloActivity>();
        foreach (var (silo, reports) in silos.ToList())
        {
            var status = snapshot.GetSiloStatus(silo);
            if (status == SiloStatus.Dead || now - reports.HeardAt > Forgotten)
            {
                silos.Remove(silo);
                continue;
            }

            live.Add(reports.Activity(status.ToString(), now));
        }

        return Task.FromResult<IReadOnlyList<SiloActivity>>([.. live.OrderBy(s => s.Address, StringComparer.Ordinal)]);
    }
}
