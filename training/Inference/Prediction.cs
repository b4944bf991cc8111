namespace Vitrina.Training.Inference;

/// <summary>A model's answer for one photo: the most likely colour and category with their probabilities.</summary>
public sealed record Prediction(string Colour, float ColourProbability, string Category, float CategoryProbability)
{
    /// <summary>The two most likely classes per task, for top-2 accuracy.</summary>
    public IReadOnlyList<string> ColourTop2 { get; init; } = [];
    public IReadOnlyList<string> CategoryTop2 { get; init; } = [];
}
