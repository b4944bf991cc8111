using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

using Vitrina.Training.Store;

namespace Vitrina.Training.Models;

/// <summary>
/// Vitrina's model: one frozen ImageNet ResNet-18 pass shared by every task, plus garment colour features, feeding
/// three small trained heads: colour, category, and taxonomy (is this one of the catalogue's categories at all?). Only
/// the heads are saved (about 1 MB each); the backbone comes from its NuGet package. The backbone may compute in
/// float16 (inference on CUDA); its features and the heads are float32.
/// </summary>
/// <remarks>
/// The category and taxonomy heads read the backbone's features alone: the colour histograms told the category head
/// nothing about the kind of garment and cost it accuracy (val 0.966 -> 0.972, mean recall 0.922 -> 0.947). The
/// taxonomy head is separate from the category head so that learning "none of these" leaves the category answers as
/// they were (docs/accuracy.md, "A taxonomy gate").
/// </remarks>
public sealed class GarmentModel : ColourCategoryModel
{
    // Renamed whenever a head's input changes, so that older head weights are refused by name rather than by shape.
    public const string Name = "resnet18-avg-gem-garment-heads-category-taxonomy-on-backbone";
    public const int FeatureCount = ResNet18Backbone.FeatureCount + GarmentColourFeatures.Count;

    // Held outside the module tree: the frozen backbone is shared by every model version in the process (one per
    // precision and device, ModelLoader.SharedBackbone).
    private SharedBackbone shared;

    public GarmentModel(ResNet18Backbone backbone, int colours, int categories) : base(Name)
    {
        shared = new SharedBackbone(backbone);
        ColourHead = CreateHead(FeatureCount, colours);
        CategoryHead = CreateHead(ResNet18Backbone.FeatureCount, categories);
        TaxonomyHead = CreateHead(ResNet18Backbone.FeatureCount, 2);
        RegisterComponents();
    }

    public Sequential ColourHead { get; }
    public Sequential CategoryHead { get; }

    /// <summary>Two logits: the photo shows none of the catalogue's categories (0), or one of them (1).</summary>
    public Sequential TaxonomyHead { get; }

    public override string Architecture => Name;

    /// <summary>The heads' input: backbone features then garment colour features. Training caches these.</summary>
    public Tensor Features(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        shared.Module.eval();
        return cat([shared.Module.forward(pixels), GarmentColourFeatures.Compute(pixels)], dim: 1).MoveToOuterDisposeScope();
    }

    public override (Tensor Colour, Tensor Category, Tensor? Taxonomy) forward(Tensor pixels)
    {
        using var features = Features(pixels);
        return Heads(features);
    }

    /// <summary>The three heads over features already computed (<see cref="Features"/>; training caches them).</summary>
    public (Tensor Colour, Tensor Category, Tensor? Taxonomy) Heads(Tensor features) =>
        (ColourHead.forward(features), CategoryHead.forward(features), TaxonomyHead.forward(features));

    public override void SaveWeights(string folder)
    {
        ColourHead.save(Path.Combine(folder, "colour-head.weights"));
        CategoryHead.save(Path.Combine(folder, "category-head.weights"));
        TaxonomyHead.save(Path.Combine(folder, "taxonomy-head.weights"));
    }

    public override void LoadWeights(string folder)
    {
        ColourHead.load(Path.Combine(folder, "colour-head.weights"));
        CategoryHead.load(Path.Combine(folder, "category-head.weights"));
        TaxonomyHead.load(Path.Combine(folder, "taxonomy-head.weights"));
    }

    /// <summary>A head over the first <paramref name="inputs"/> features (all of them, or the backbone's alone).</summary>
    private static Sequential CreateHead(int inputs, int classes) => Sequential(
        ("input", new LeadingFeatures(inputs)),
        ("norm", BatchNorm1d(inputs)),
        ("hidden", Linear(inputs, 256)),
        ("relu", ReLU()),
        ("dropout", Dropout(0.3)),
        ("out", Linear(256, classes)));

    /// <summary>
    /// Moves the heads, and takes the process's backbone on that device: moving the shared one would pull it from under
    /// every other model using it (a retraining on the CPU next to a CUDA silo's serving model, a CUDA fallback).
    /// </summary>
    public override ColourCategoryModel ToDevice(Device device)
    {
        shared = new SharedBackbone(ModelLoader.SharedBackbone(shared.Module.Precision, device));
        return base.ToDevice(device);
    }

    private sealed record SharedBackbone(ResNet18Backbone Module);
}
