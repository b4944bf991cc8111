namespace Vitrina.Silos;

/// <summary>
/// What every silo of the cluster is doing (key 0: one per cluster), for the dashboard and <c>vitrina silos</c>: each
/// silo reports its running totals every few seconds, and the roster turns them into rates. It keeps nothing in
/// storage: wherever it activates again, the next round of reports rebuilds it.
/// </summary>
[Alias("Vitrina.ISiloRosterGrain")]
public interface ISiloRosterGrain : IGrainWithIntegerKey
{
    [Alias("Report")]
    Task Report(SiloReport report);

    /// <summary>The silos that reported lately and that membership has not declared dead, by address.</summary>
    [Alias("List")]
    Task<IReadOnlyList<SiloActivity>> List();
}
