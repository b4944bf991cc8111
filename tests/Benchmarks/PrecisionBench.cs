using System.Diagnostics;
using Vitrina.Training.Data;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Store;
using static TorchSharp.torch;

namespace Vitrina.Benchmarks;

/// <summary>
/// float16 and bfloat16 against float32 inference on the same photos and device: how often the answers agree, how far
/// the probabilities move, and the throughput of each. The agreement is what decides whether a silo may run them
/// (Vitrina:Classifier:Precision=auto runs float16 on CUDA; bf16 is an operator's choice on CPUs built for it).
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
        Console.WriteLine($"### float16 and bfloat16 vs float32: model {manifest.Version} on {device.type}, {photos.Count} photos ({photos.Source})");
        Console.WriteLine();
        using var fp32 = ColourCategoryClassifier.LoadCurrent(store, device, ScalarType.Float32);
        var (reference, referenceRate) = Classify(fp32, photos.Images);
        Console.WriteLine("| precision | img/s (batch 64) | identical colour | identical category | top probability moved: mean / max | colour accuracy | category accuracy |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| float32 | {referenceRate:F1} | - | - | - | {Accuracy(reference, photos.Labels, p => p.Colour, l => l.Colour)} | {Accuracy(reference, photos.Labels, p => p.Category, l => l.Category)} |");
        var rates = new List<string>();
        foreach (var (name, precision) in new[] { ("float16", ScalarType.Float16), ("bfloat16", ScalarType.BFloat16) })
        {
            using var reduced = ColourCategoryClassifier.LoadCurrent(store, device, precision);
            var (answers, rate) = Classify(reduced, photos.Images);
            var colour = reference.Zip(answers).Count(p => p.First.Colour == p.Second.Colour) / (double)reference.Count;
            var category = reference.Zip(answers).Count(p => p.First.Category == p.Second.Category) / (double)reference.Count;
            var shifts = reference.Zip(answers).SelectMany(p => new[]
            {
                Math.Abs(p.First.ColourProbability - p.Second.ColourProbability),
                Math.Abs(p.First.CategoryProbability - p.Second.CategoryProbability),
            }).ToList();
            Console.WriteLine($"| {name} | {rate:F1} | {colour:P2} | {category:P2} | {shifts.Average():F5} / {shifts.Max():F5} | " +
                $"{Accuracy(answers, photos.Labels, p => p.Colour, l => l.Colour)} | {Accuracy(answers, photos.Labels, p => p.Category, l => l.Category)} |");
            rates.Add($"{name} / float32 {rate / referenceRate:F2}x");
        }

        Console.WriteLine();
        Console.WriteLine($"Throughput on {device.type}: {string.Join(", ", rates)}.");
        if (manifest.FittedSplits.Contains("val"))
        {
            Console.WriteLine($"Model {manifest.Version} was fitted on val too: its accuracy here compares the precisions, it is not a held-out figure.");
        }
    }

    /// <summary>Accuracy over the photos labelled for the task, with their count; "-" for unlabelled demo photos.</summary>
    private static string Accuracy(List<Prediction> answers, IReadOnlyList<LabelledImage?> labels, Func<Prediction, string> answer, Func<LabelledImage, string?> label)
    {
        var labelled = answers.Zip(labels).Where(p => p.Second is not null && label(p.Second) is not null).ToList();
        return labelled.Count == 0 ? "-" : $"{labelled.Count(p => answer(p.First) == label(p.Second!)) / (double)labelled.Count:F4} ({labelled.Count})";
    }

    private static (List<Prediction> Predictions, double Rate) Classify(ColourCategoryClassifier classifier, IReadOnlyList<PreparedImage> images)
    {
        // Warm-up at the timed batch sizes (a full batch and the last, partial one): a shape's first run pays for its
        // kernels and memory, which would otherwise land in the timed part of whichever precision ran first.
        classifier.Classify(images.Take(Math.Min(Batch, images.Count)).ToList());
        if (images.Count % Batch is var rest and > 0 && images.Count > Batch)
        {
            classifier.Classify(images.Take(rest).ToList());
        }

        var clock = Stopwatch.StartNew();
        var predictions = images.Chunk(Batch).SelectMany(batch => classifier.Classify(batch)).ToList();
        return (predictions, images.Count / clock.Elapsed.TotalSeconds);
    }

    private static (IReadOnlyList<PreparedImage> Images, IReadOnlyList<LabelledImage?> Labels, string Source, int Count) Photos(
        int images, string? data, PreparationSettings settings)
    {
        var val = Path.Combine(data ?? "/work/shared/data", "myntra");
        List<(string File, LabelledImage? Label)> files;
        string source;
        if (File.Exists(Path.Combine(val, "labels.csv")))
        {
            var rows = LabelledDataset.Load(val).Split("val").ToList();
            var stride = Math.Max(1, rows.Count / images);
            files = rows.Where((_, i) => i % stride == 0).Take(images).Select(r => (r.Path, (LabelledImage?)r)).ToList();
            source = "Myntra val, evenly spaced";
        }
        else
        {
            files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "photos"), "*.jpg", SearchOption.AllDirectories)
                .Take(images).Select(f => (f, (LabelledImage?)null)).ToList();
            source = "demo shop photos";
        }

        var prepared = new List<PreparedImage>();
        var labels = new List<LabelledImage?>();
        foreach (var (file, label) in files)
        {
            try
            {
                prepared.Add(ImagePreparation.PrepareFile(file, settings));
                labels.Add(label);
            }
            catch (ImageRejectedException)
            {
                // the demo's deliberately truncated upload
            }
        }

        return (prepared, labels, source, prepared.Count);
    }
}
