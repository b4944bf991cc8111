namespace Vitrina.Classification;

/// <summary>The classifier's answer for one photo.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.ClassificationResult")]
public sealed record ClassificationResult
{
    [Id(0)] public required string Colour { get; init; }
    [Id(1)] public float ColourProbability { get; init; }
    [Id(2)] public required string Category { get; init; }
    [Id(3)] public float CategoryProbability { get; init; }
    [Id(4)] public required string ModelVersion { get; init; }
    /// <summary>
    /// True when either label is below the model's confidence threshold, or the photo probably shows none of the
    /// catalogue's categories (<c>Prediction.NeedsModeration</c>).
    /// </summary>
    [Id(5)] public bool NeedsModeration { get; init; }

    /// <summary>How likely the photo shows one of the catalogue's categories at all (1 from models without a taxonomy head).</summary>
    [Id(6)] public float InTaxonomyProbability { get; init; } = 1;
}
