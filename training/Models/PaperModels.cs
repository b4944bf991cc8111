using TorchSharp;
using static TorchSharp.torch;

namespace Vitrina.Training.Models;

/// <summary>The paper's two independent CNNs, Model 1 for colour and Model 2 for category, as one model version.</summary>
public sealed class PaperModels : CatalogueModel
{
    public const string Name = "paper";

    public PaperModels(int colours, int categories, ScalarType precision = ScalarType.Float32) : base(Name)
    {
        Colour = new PaperColourModel(colours);
        Category = new PaperCategoryModel(categories);
        RegisterComponents();
        if (precision != ScalarType.Float32)
        {
            this.to(precision);
        }
    }

    public PaperColourModel Colour { get; }
    public PaperCategoryModel Category { get; }

    public override string Architecture => Name;

    public override (Tensor Colour, Tensor Category) forward(Tensor pixels) =>
        (Colour.forward(pixels).to(ScalarType.Float32), Category.forward(pixels).to(ScalarType.Float32));

    public override void SaveWeights(string folder)
    {
        Colour.save(Path.Combine(folder, "colour.weights"));
        Category.save(Path.Combine(folder, "category.weights"));
    }

    public override void LoadWeights(string folder)
    {
        Colour.load(Path.Combine(folder, "colour.weights"));
        Category.load(Path.Combine(folder, "category.weights"));
    }
}
