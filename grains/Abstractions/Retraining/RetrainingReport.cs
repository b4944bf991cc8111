namespace Vitrina.Retraining;

/// <summary>What one retraining from moderator labels did: how many labels and photos, the held-out check, the result.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.RetrainingReport")]
public sealed record RetrainingReport
{
    [Id(0)] public int Labels { get; init; }
    [Id(1)] public int Photos { get; init; }
    [Id(2)] public int PhotosUnavailable { get; init; }
    [Id(3)] public int HeldOut { get; init; }
    [Id(4)] public double AccuracyBefore { get; init; }
    [Id(5)] public double AccuracyAfter { get; init; }
    [Id(6)] public string? PublishedVersion { get; init; }
    [Id(7)] public required string Outcome { get; init; }
}
