using Vitrina.Training.Images;
using Vitrina.Training.Models;
using Vitrina.Training.Store;

namespace Vitrina.Benchmarks;

/// <summary>A model store for one benchmark run: starts as a copy of the shipped model, deleted afterwards.</summary>
internal sealed class TemporaryStore : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "vitrina-bench", Guid.NewGuid().ToString("N"));

    public TemporaryStore() => Store = new ModelStore(root, ModelStore.ShippedRoot);

    public ModelStore Store { get; }

    /// <summary>Saves the paper's Model 1 + Model 2 with fresh (untrained) weights as a new current version.</summary>
    public ModelManifest SaveUntrainedPaperModels(string version)
    {
        var paper = new ModelManifest
        {
            Version = version,
            Architecture = PaperModels.Name,
            Preparation = PreparationSettings.Paper,
            ColourClasses = Training.Taxonomy.Paper.Colours,
            CategoryClasses = Training.Taxonomy.Paper.Categories,
        };
        using var model = ModelLoader.Create(paper);
        return Store.Save(paper, model);
    }

    /// <summary>
    /// The shipped model when its backbone is here; otherwise (the GPU bundle leaves the 64 MB backbone out) the paper's
    /// models with seeded weights, made current: throughput does not depend on the weights.
    /// </summary>
    public ModelManifest ShippedOrPaperModels()
    {
        if (File.Exists(ResNet18Backbone.DefaultOnnxPath))
        {
            return Store.Current();
        }

        TorchSharp.torch.manual_seed(1);
        return SaveUntrainedPaperModels("paper-seeded");
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
