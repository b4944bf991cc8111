using System.Diagnostics;
using Vitrina.Training.Data;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Store;
using static TorchSharp.torch;

namespace Vitrina.Benchmarks;

/// <summary>
/// float16 against float32 inference on the same photos and device: how often the answers agree, how far the
/// probabilities move, and the throughput of each. The agreement is what decides whether a GPU silo may run float16
/// (Vitrina:Classifier:Precision=auto does on CUDA).
/// </summary>
public static class PrecisionBench
{
    private const int Batch = 64;

    public static void Run(int images, string? data)
    {
        using var folder = new TemporaryStore();
        var store = folder.Store;
        var device = cuda.is_available() ? CUDA : CPU;
        var manifest = folder.ShippedOrPaperModels();
        var photos = Photos(images, data, manifest.Preparation);
        Console.WriteLine();
        Console.WriteLine($"### float16 vs float32: model {manifest.Version} on {device.type}, {photos.Count} photos ({photos.Source})");
        Console.WriteLine();
        using var fp32 = CatalogueClassifier.LoadCurrent(store, device, ScalarType.Float32);
        using var fp16 = CatalogueClassifier.LoadCurrent(store, device, ScalarType.Float16);
        var (reference, referenceRate) = Classify(fp32, photos.Images);
        var (half, halfRate) = Classify(fp16, photos.Images);
        var colour = reference.Zip(half).Count(p => p.First.Colour == p.Second.Colour) / (double)reference.Count;
        var category = reference.Zip(half).Count(p => p.First.Category == p.Second.Category) / (double)reference.Count;
        var shifts = reference.Zip(half).SelectMany(p => new[]
        {
            Math.Abs(p.First.ColourProbability - p.Second.ColourProbability),
            Math.Abs(p.First.CategoryProbability - p.Second.CategoryProbability),
        }).ToList();
        Console.WriteLine("| precision | img/s (batch 64) | identical colour | identical category | top probability moved: mean / max |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        Console.WriteLine($"| float32 | {referenceRate:F1} | - | - | - |");
        Console.WriteLine($"| float16 | {halfRate:F1} | {colour:P2} | {category:P2} | {shifts.Average():F5} / {shifts.Max():F5} |");
        Console.WriteLine();
        Console.WriteLine($"float16 / float32 throughput: {halfRate / referenceRate:F2}x on {device.type}.");
    }

    private static (List<Prediction> Predictions, double Rate) Classify(CatalogueClassifier classifier, IReadOnlyList<PreparedImage> images)
    {
        classifier.Classify(images.Take(Math.Min(8, images.Count)).ToList()); // warm-up: kernels, allocator
        var clock = Stopwatch.StartNew();
        var predictions = images.Chunk(Batch).SelectMany(batch => classifier.Classify(batch)).ToList();
        return (predictions, images.Count / clock.Elapsed.TotalSeconds);
    }

    private static (IReadOnlyList<PreparedImage> Images, string Source, int Count) Photos(int images, string? data, PreparationSettings settings)
    {
        var val = Path.Combine(data ?? "/work/shared/data", "myntra");
        List<string> files;
        string source;
        if (File.Exists(Path.Combine(val, "labels.csv")))
        {
            var rows = LabelledDataset.Load(val).Split("val").ToList();
            var stride = Math.Max(1, rows.Count / images);
            files = rows.Where((_, i) => i % stride == 0).Take(images).Select(r => r.Path).ToList();
            source = "Myntra val, evenly spaced";
        }
        else
        {
            files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "photos"), "*.jpg", SearchOption.AllDirectories).Take(images).ToList();
            source = "demo shop photos";
        }

        var prepared = new List<PreparedImage>();
        foreach (var file in files)
        {
            try
            {
                prepared.Add(ImagePreparation.PrepareFile(file, settings));
            }
            catch (ImageRejectedException)
            {
                // the demo's deliberately truncated upload
            }
        }

        return (prepared, source, prepared.Count);
    }
}
