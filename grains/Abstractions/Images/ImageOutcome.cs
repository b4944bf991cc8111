namespace Vitrina.Images;

/// <summary>What became of an image: its labels with their probabilities and model version, or why it failed.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.ImageOutcome")]
public sealed record ImageOutcome
{
    [Id(0)] public required string ImageId { get; init; }
    [Id(1)] public required ImageStatus Status { get; init; }
    [Id(2)] public string? Colour { get; init; }
    [Id(3)] public float ColourProbability { get; init; }
    [Id(4)] public string? Category { get; init; }
    [Id(5)] public float CategoryProbability { get; init; }
    [Id(6)] public string? ModelVersion { get; init; }
    [Id(7)] public string? Error { get; init; }

    /// <summary>The taxonomy head's probability that the photo shows one of the categories; null when it was not classified.</summary>
    [Id(8)] public float? InTaxonomyProbability { get; init; }
}
