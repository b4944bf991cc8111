using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TorchSharp;
using Vitrina.Classification;
using Vitrina.Grains.Classification;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Models;
using Vitrina.Training.Store;
using static TorchSharp.torch;

namespace Vitrina.Benchmarks;

/// <summary>
/// Classifier throughput by batch size: a bare TorchSharp loop over the model versus the silo's batching model host fed
/// by concurrent requests (the path image grains take), in one run on one machine.
/// </summary>
public static class ClassifierBench
{
    private static readonly int[] BatchSizes = [1, 8, 32, 128, 512];

    public static async Task Run(TimeSpan duration)
    {
        using var folder = new TemporaryStore();
        foreach (var (name, manifest) in Models(folder))
        {
            Console.WriteLine();
            Console.WriteLine($"### Classifier: {name} ({manifest.Preparation.Size}x{manifest.Preparation.Size}, both tasks per photo)");
            Console.WriteLine();
            Console.WriteLine("| batch | bare TorchSharp loop (img/s) | model host, batched requests (img/s) | host / bare | p50 / p99 queue wait (ms) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|");
            folder.Store.SetCurrent(manifest.Version);
            using var classifier = CatalogueClassifier.LoadCurrent(folder.Store, cuda.is_available() ? CUDA : CPU);
            foreach (var batch in BatchSizes)
            {
                var bare = Bare(classifier, batch, duration);
                var (host, waits) = await Host(folder.Store.Root, batch, TimeSpan.FromMilliseconds(2), duration);
                var (p50, _, p99) = Percentiles.Of(waits);
                Console.WriteLine($"| {batch} | {bare:F1} | {host:F1} | {host / bare:F2} | {p50:F1} / {p99:F1} |");
            }

            Console.WriteLine();
            Console.WriteLine("| max batch 32, max delay | host img/s | p99 queue wait (ms) |");
            Console.WriteLine("|---:|---:|---:|");
            foreach (var delay in new[] { 0.5, 2, 8, 32 })
            {
                var (host, waits) = await Host(folder.Store.Root, 32, TimeSpan.FromMilliseconds(delay), duration, inFlight: 24);
                Console.WriteLine($"| {delay} ms | {host:F1} | {Percentiles.Of(waits).P99:F1} |");
            }
        }
    }

    private static IEnumerable<(string Name, ModelManifest Manifest)> Models(TemporaryStore folder)
    {
        var store = folder.Store;
        // A new store starts as a copy of the shipped model; its backbone is left out of the GPU bundle.
        if (store.CurrentVersion() is { } shipped && File.Exists(ResNet18Backbone.DefaultOnnxPath))
        {
            yield return ("shipped garment model (ResNet-18 + heads)", store.Get(shipped));
        }

        yield return ("paper Model 1 + Model 2", folder.SaveUntrainedPaperModels("paper-untrained"));
    }

    private static double Bare(CatalogueClassifier classifier, int batch, TimeSpan duration)
    {
        var size = classifier.Manifest.Preparation.Size;
        using var pixels = randint(0, 255, [batch, size, size, 3], generator: new Generator(1)).to(ScalarType.Byte);
        classifier.Classify(pixels);
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (clock.Elapsed < duration || done == 0)
        {
            classifier.Classify(pixels);
            done += batch;
        }

        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Keeps <paramref name="inFlight"/> requests outstanding (twice the batch by default), as many image grains would.</summary>
    private static async Task<(double ImagesPerSecond, IReadOnlyCollection<double> QueueWaits)> Host(
        string store, int batch, TimeSpan delay, TimeSpan duration, int? inFlight = null)
    {
        var options = Options.Create(new ClassifierOptions { ModelStore = store, MaxBatchSize = batch, MaxQueueDelay = delay, MaxQueueLength = 1 << 16 });
        using var host = new ModelHost(options, NullLogger<ModelHost>.Instance);
        await host.StartAsync(CancellationToken.None);
        var info = host.Info();
        var pixels = new byte[info.InputSize * info.InputSize * 3];
        new Random(1).NextBytes(pixels);
        var request = new ClassifyRequest(info.InputSize, info.InputSize, pixels);
        await host.Classify(request);

        using var samples = new MetricSamples();
        var clock = Stopwatch.StartNew();
        var done = 0;
        var workers = Enumerable.Range(0, inFlight ?? Math.Max(2, batch * 2)).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                await host.Classify(request);
                Interlocked.Increment(ref done);
            }
        });
        await Task.WhenAll(workers);
        var rate = done / clock.Elapsed.TotalSeconds;
        await host.StopAsync(CancellationToken.None);
        return (rate, samples.Get("vitrina.classifier.queue_wait"));
    }
}
