namespace Vitrina.Instagram;

/// <summary>Where the app's call budget stands (<c>IGraphBudgetGrain.GetState</c>): calls granted and refused, pacing, blocks.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.GraphBudgetState")]
public sealed record GraphBudgetState
{
    [Id(0)] public int CallsPerWindow { get; init; }
    [Id(1)] public TimeSpan Window { get; init; }
    [Id(2)] public long Granted { get; init; }
    [Id(3)] public long Refused { get; init; }
    [Id(4)] public int LastUsagePercent { get; init; }
    [Id(5)] public DateTimeOffset? BlockedUntil { get; init; }
    [Id(6)] public TimeSpan Spacing { get; init; }
}
