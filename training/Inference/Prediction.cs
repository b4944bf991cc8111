using Vitrina.Training.Store;

namespace Vitrina.Training.Inference;

/// <summary>A model's answer for one photo: the most likely colour and category with their probabilities.</summary>
public sealed record Prediction(string Colour, float ColourProbability, string Category, float CategoryProbability)
{
    /// <summary>How likely the photo shows one of the catalogue's categories at all (1 from models without a taxonomy head).</summary>
    public float InTaxonomyProbability { get; init; } = 1;

    /// <summary>The two most likely classes per task, for top-2 accuracy.</summary>
    public IReadOnlyList<string> ColourTop2 { get; init; } = [];
    public IReadOnlyList<string> CategoryTop2 { get; init; } = [];

    /// <summary>
    /// Whether the photo waits for a moderator instead of going into the catalogue: either label is below the model's
    /// confidence threshold, or the photo probably shows none of the catalogue's categories (a T-shirt or a shoe that
    /// the category head, which knows only its six, would shelve under one of them).
    /// </summary>
    public bool NeedsModeration(ModelManifest manifest) =>
        ColourProbability < manifest.ModerationThreshold || CategoryProbability < manifest.ModerationThreshold || !IsInTaxonomy(manifest);

    /// <summary>The taxonomy gate's verdict: the photo shows one of the catalogue's categories.</summary>
    public bool IsInTaxonomy(ModelManifest manifest) => InTaxonomyProbability >= manifest.TaxonomyThreshold;
}
