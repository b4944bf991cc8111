using TorchSharp;
using static TorchSharp.torch;

namespace Vitrina.Training.Models;

/// <summary>The paper's two independent CNNs, Model 1 for colour and Model 2 for category, as one model version.</summary>
public sealed class PaperModels : ColourCategoryModel
{
    public const string Name = "paper";

    private readonly ScalarType precision;

    public PaperModels(int colours, int categories, ScalarType precision = ScalarType.Float32) : base(Name)
    {
        Colour = new PaperColourModel(colours);
        Category = new PaperCategoryModel(categories);
        RegisterComponents();
        this.precision = precision;
        this.to(precision);
    }

    public PaperColourModel Colour { get; }
    public PaperCategoryModel Category { get; }

    public override string Architecture => Name;

    /// <summary>The paper's models have no taxonomy head: every photo counts as one of their categories.</summary>
    public override (Tensor Colour, Tensor Category, Tensor? Taxonomy) forward(Tensor pixels) =>
        (Colour.forward(pixels).to(ScalarType.Float32), Category.forward(pixels).to(ScalarType.Float32), null);

    public override void SaveWeights(string folder)
    {
        Colour.save(Path.Combine(folder, "colour.weights"));
        Category.save(Path.Combine(folder, "category.weights"));
    }

    /// <summary>Weights are stored in float32 (training's precision): loaded as such, then rounded to this model's precision.</summary>
    public override void LoadWeights(string folder)
    {
        this.to(ScalarType.Float32);
        Colour.load(Path.Combine(folder, "colour.weights"));
        Category.load(Path.Combine(folder, "category.weights"));
        this.to(precision);
    }
}
