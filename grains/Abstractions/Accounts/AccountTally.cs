namespace Vitrina.Accounts;

/// <summary>How many onboarded accounts are in each state, for the dashboard: how much of the fleet is polling well.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.AccountTally")]
public sealed record AccountTally
{
    [Id(0)] public int Active { get; init; }
    [Id(1)] public int Failing { get; init; }
    [Id(2)] public int Paused { get; init; }
    [Id(3)] public int Parked { get; init; }

    /// <summary>Accounts that have not reported a state since they were onboarded (they do with their next poll).</summary>
    [Id(4)] public int Unreported { get; init; }

    public static AccountTally operator +(AccountTally a, AccountTally b) => new()
    {
        Active = a.Active + b.Active,
        Failing = a.Failing + b.Failing,
        Paused = a.Paused + b.Paused,
        Parked = a.Parked + b.Parked,
        Unreported = a.Unreported + b.Unreported,
    };
}
