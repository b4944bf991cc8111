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
    /// <param name="batchSizes">The sweep's batch sizes.</param>
    /// <param name="delaysOnly">Only the max-delay table (the batching latency check), not the batch-size sweep.</param>
    public static async Task Run(TimeSpan duration, IReadOnlyList<int> batchSizes, bool delaysOnly)
    {
        using var folder = new TemporaryStore();
        var device = cuda.is_available() ? CUDA : CPU;
        // float16 is what a CUDA silo runs by default; on a CPU it is a slow curiosity (see the precision bench), while
        // bfloat16 is an operator's opt-in where the CPU computes it natively, and twice as fast there.
        ScalarType[] precisions = device.type == DeviceType.CUDA ? [ScalarType.Float32, ScalarType.Float16]
            : CpuBFloat16.Supported ? [ScalarType.Float32, ScalarType.BFloat16]
            : [ScalarType.Float32];
        foreach (var (name, manifest) in Models(folder))
        {
            folder.Store.SetCurrent(manifest.Version);
            foreach (var precision in precisions)
            {
                await Run(folder.Store, name, device, precision, duration, batchSizes, delaysOnly);
            }
        }
    }

    private static async Task Run(ModelStore store, string name, Device device, ScalarType precision, TimeSpan duration, IReadOnlyList<int> batchSizes, bool delaysOnly)
    {
        var size = store.Current().Preparation.Size;
        Console.WriteLine();
        Console.WriteLine($"### Classifier: {name} ({size}x{size}, both tasks per photo), {device.type} {precision}");
        if (!delaysOnly)
        {
            await Sweep(store, device, precision, duration, batchSizes);
        }

        Console.WriteLine();
        Console.WriteLine("| max batch 32, 24 in flight, max delay | host img/s | p99 queue wait (ms) |");
        Console.WriteLine("|---:|---:|---:|");
        foreach (var delay in new[] { 0.5, 2, 8, 32 })
        {
            var (host, waits) = await Host(store.Root, device, precision, 32, TimeSpan.FromMilliseconds(delay), duration, inFlight: 24);
            Console.WriteLine($"| {delay} ms | {host:F1} | {Percentiles.Of(waits).P99:F1} |");
        }
    }

    /// <summary>Throughput by batch size: bare loop against the model host.</summary>
    private static async Task Sweep(ModelStore store, Device device, ScalarType precision, TimeSpan duration, IReadOnlyList<int> batchSizes)
    {
        var pinned = device.type == DeviceType.CUDA;
        Console.WriteLine();
        Console.WriteLine("| batch | bare loop (img/s) | bare loop, page-locked input (img/s) | model host, 2 x batch in flight (img/s) | model host, 4 x batch in flight (img/s) | host / best bare | p50 / p99 queue wait, 4 x (ms) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        using var classifier = ColourCategoryClassifier.LoadCurrent(store, device, precision);
        foreach (var batch in batchSizes)
        {
            var bare = Bare(classifier, batch, duration, pinned: false);
            double? locked = pinned ? Bare(classifier, batch, duration, pinned: true) : null;
            var (shallow, _) = await Host(store.Root, device, precision, batch, TimeSpan.FromMilliseconds(2), duration, inFlight: 2 * batch);
            var (deep, waits) = await Host(store.Root, device, precision, batch, TimeSpan.FromMilliseconds(2), duration, inFlight: 4 * batch);
            var (p50, _, p99) = Percentiles.Of(waits);
            var best = Math.Max(bare, locked ?? 0);
            Console.WriteLine($"| {batch} | {bare:F1} | {(locked is { } l ? l.ToString("F1") : "-")} | {shallow:F1} | {deep:F1} | {Math.Max(shallow, deep) / best:F2} | {p50:F1} / {p99:F1} |");
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

    /// <summary>One pre-stacked batch classified again and again: the model's own ceiling, without any queueing.</summary>
    private static double Bare(ColourCategoryClassifier classifier, int batch, TimeSpan duration, bool pinned)
    {
        var size = classifier.Manifest.Preparation.Size;
        using var random = randint(0, 255, [batch, size, size, 3], generator: new Generator(1)).to(ScalarType.Byte);
        using var pixels = pinned ? random.pin_memory() : random.alias();
        classifier.Classify(pixels);
        var clock = Stopwatch.StartNew();
        var done = 0;
        // At least three batches: a batch of 512 takes seconds on a CPU, and one or two of them made a point too coarse.
        while (clock.Elapsed < duration || done < 3 * batch)
        {
            classifier.Classify(pixels);
            done += batch;
        }

        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The silo's model host fed single-photo requests, <paramref name="inFlight"/> outstanding at any time, as many image
    /// grains would: with two batches' worth a batch can only form from the requests the previous one just answered.
    /// </summary>
    private static async Task<(double ImagesPerSecond, IReadOnlyCollection<double> QueueWaits)> Host(
        string store, Device device, ScalarType precision, int batch, TimeSpan delay, TimeSpan duration, int inFlight)
    {
        var options = Options.Create(new ClassifierOptions
        {
            ModelStore = store,
            Device = device.type == DeviceType.CUDA ? "cuda" : "cpu",
            Precision = precision switch { ScalarType.Float16 => "fp16", ScalarType.BFloat16 => "bf16", _ => "fp32" },
            MaxBatchSize = batch,
            MaxQueueDelay = delay,
            MaxQueueLength = 1 << 16,
            MaxQueueWait = TimeSpan.FromHours(1), // the benchmark keeps 4 batches in flight, however long they take
        });
        using var host = new ModelHost(options, NullLogger<ModelHost>.Instance);
        await host.StartAsync(CancellationToken.None);
        var info = await host.Info();
        var pixels = new byte[info.InputSize * info.InputSize * 3];
        new Random(1).NextBytes(pixels);
        var request = new ClassifyRequest(info.InputSize, info.InputSize, pixels, info.Resize);
        await host.Classify(request);

        using var samples = new MetricSamples();
        var clock = Stopwatch.StartNew();
        var done = 0;
        var workers = Enumerable.Range(0, inFlight).Select(async _ =>
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
