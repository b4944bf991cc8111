using TorchSharp;
using Vitrina.Training.Images;
using Vitrina.Training.Models;
using Vitrina.Training.Store;
using static TorchSharp.torch;

namespace Vitrina.Training.Inference;

/// <summary>
/// Where colour and category predictions are made: one loaded model version on one device, classifying a batch of
/// prepared photos in a single forward pass. Not thread-safe: one caller (the silo's batcher, or a CLI loop) at a time.
/// The network itself is a <see cref="ColourCategoryModel"/>: <see cref="GarmentModel"/> (shipped) or the paper's
/// <see cref="PaperModels"/>; the garment model's colour features are <see cref="GarmentColourFeatures"/>.
/// </summary>
public sealed class ColourCategoryClassifier : IDisposable
{
    private readonly ColourCategoryModel model;

    public ColourCategoryClassifier(ColourCategoryModel model, ModelManifest manifest, Device? device = null)
    {
        Manifest = manifest;
        Device = device ?? CPU;
        try
        {
            this.model = model.ToDevice(Device);
        }
        catch
        {
            model.Dispose(); // what reached the device before the failure stays there otherwise
            throw;
        }

        this.model.eval();
    }

    public ModelManifest Manifest { get; }
    public Device Device { get; }
    public ScalarType Precision { get; init; } = ScalarType.Float32;

    public static ColourCategoryClassifier LoadCurrent(ModelStore store, Device? device = null, ScalarType precision = ScalarType.Float32) =>
        Load(store, store.Current(), device, precision);

    /// <param name="precision">float32, or float16 for the convolutions (meant for CUDA: on CPU it is correct but slow).</param>
    public static ColourCategoryClassifier Load(ModelStore store, ModelManifest manifest, Device? device = null, ScalarType precision = ScalarType.Float32) =>
        new(ModelLoader.Load(store, manifest, precision), manifest, device) { Precision = precision };

    public IReadOnlyList<Prediction> Classify(IReadOnlyList<PreparedImage> images)
    {
        if (images.Count == 0)
        {
            return [];
        }

        using var scope = NewDisposeScope();
        return Classify(PreparedBatch.ToTensor(images, Device));
    }

    /// <summary>
    /// Classifies a uint8 [N, H, W, 3] batch already assembled: the silo's model host stacks its batches into pooled
    /// (on CUDA page-locked) buffers and classifies them here; evaluation passes augmented batches.
    /// </summary>
    public IReadOnlyList<Prediction> Classify(Tensor batch)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // From page-locked memory the copy is asynchronous; from ordinary memory libtorch copies synchronously as before.
        return ToPredictions(model.forward(batch.to(Device, non_blocking: true)), Manifest);
    }

    /// <summary>
    /// Turns a model's output into per-photo answers: both tasks' logits [N, classes] into probabilities and top-2
    /// classes, and the taxonomy logits [N, 2], where the model has them, into <see cref="Prediction.InTaxonomyProbability"/>.
    /// </summary>
    public static IReadOnlyList<Prediction> ToPredictions((Tensor Colour, Tensor Category, Tensor? Taxonomy) logits, ModelManifest manifest)
    {
        var colour = Summarise(logits.Colour, manifest.ColourClasses);
        var category = Summarise(logits.Category, manifest.CategoryClasses);
        var inTaxonomy = logits.Taxonomy is null
            ? null
            : nn.functional.softmax(logits.Taxonomy.to(ScalarType.Float32), 1).select(1, 1).cpu().data<float>().ToArray();
        return Enumerable.Range(0, colour.Length)
            .Select(i => new Prediction(colour[i].Top[0], colour[i].Probability, category[i].Top[0], category[i].Probability)
            {
                ColourTop2 = colour[i].Top,
                CategoryTop2 = category[i].Top,
                InTaxonomyProbability = inTaxonomy?[i] ?? 1,
            })
            .ToList();
    }

    private static (IReadOnlyList<string> Top, float Probability)[] Summarise(Tensor logits, IReadOnlyList<string> classes)
    {
        var probabilities = nn.functional.softmax(logits.to(ScalarType.Float32), 1).cpu();
        var k = Math.Min(2, classes.Count);
        var (values, indices) = probabilities.topk(k, dim: 1);
        var p = values.data<float>().ToArray();
        var idx = indices.data<long>().ToArray();
        var result = new (IReadOnlyList<string>, float)[logits.shape[0]];
        for (var i = 0; i < result.Length; i++)
        {
            var top = Enumerable.Range(0, k).Select(j => classes[(int)idx[i * k + j]]).ToList();
            result[i] = (top, p[i * k]);
        }

        return result;
    }

    public void Dispose() => model.Dispose();
}
