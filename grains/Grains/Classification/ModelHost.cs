using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Store;
using Tensor = TorchSharp.torch.Tensor;

namespace Vitrina.Grains.Classification;

/// <summary>
/// The silo's one model instance and its batcher: classify requests from all grains queue here and run as one forward
/// pass when <see cref="ClassifierOptions.MaxBatchSize"/> photos are waiting or the oldest has waited
/// <see cref="ClassifierOptions.MaxQueueDelay"/>. Gathering and inference run on two threads of their own, never on a grain
/// turn nor behind the thread pool's queue of photo decodes. Between batches it switches to a new current model version;
/// a version that fails to load leaves the old one serving, and at start-up, with none serving yet, the newest version
/// that loads.
/// </summary>
public sealed class ModelHost : BackgroundService
{
    public static readonly Meter Meter = new("Vitrina.Classifier");
    private static readonly Histogram<int> BatchSizes = Meter.CreateHistogram<int>("vitrina.classifier.batch_size", "{image}");
    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>("vitrina.classifier.queue_wait", "ms");
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("vitrina.classifier.rejected", "{request}");
    private static readonly Counter<long> LoadFailures = Meter.CreateCounter<long>("vitrina.classifier.model_load_failures");
    private static readonly Counter<long> CudaFallbacks = Meter.CreateCounter<long>("vitrina.classifier.cuda_fallbacks");

    private readonly ClassifierOptions options;
    private readonly ModelStore store;
    private readonly ILogger<ModelHost> logger;
    private readonly RequestQueue queue;

    /// <summary>The stacked batch waiting for the device while the one before it runs.</summary>
    private readonly BlockingCollection<StackedBatch> ready = new(boundedCapacity: 1);
    private readonly Lock swap = new();
    private CatalogueClassifier? classifier;
    private readonly BatchBuffers buffers;
    private bool cudaFailed;
    private DateTime nextModelCheck;

    /// <summary>The current version when it could not be served: not tried again until the current pointer moves.</summary>
    private string? refusedVersion;

    public ModelHost(IOptions<ClassifierOptions> options, ILogger<ModelHost> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        store = new ModelStore(this.options.ModelStore, ModelStore.ShippedRoot);
        buffers = new BatchBuffers(this.options.MaxBatchSize, logger);
        queue = new RequestQueue(this.options.MaxQueueLength);
    }

    /// <summary>The largest batch run so far (tests and the dashboard read it).</summary>
    public int LargestBatch { get; private set; }

    /// <summary>Photos classified by this silo since it started (the dashboard derives a rate from it).</summary>
    public long Classified => Interlocked.Read(ref classified);

    private long classified;

    public CatalogueClassifier Current
    {
        get
        {
            lock (swap)
            {
                return classifier ??= LoadAtStartUp();
            }
        }
    }

    /// <summary>Whether a model has been loaded (readiness waits for it on classify silos).</summary>
    public bool Loaded => Volatile.Read(ref classifier) is not null;

    public ModelInfo Info()
    {
        var manifest = Current.Manifest;
        return new ModelInfo(manifest.Version, manifest.Preparation.Size, manifest.Preparation.Resize.ToString(),
            manifest.ColourClasses, manifest.CategoryClasses);
    }

    public Task<ClassificationResult> Classify(ClassifyRequest request)
    {
        var pending = new PendingRequest(PreparedImage.Create(request.Width, request.Height, request.Pixels), request.Resize, Stopwatch.GetTimestamp());
        if (!queue.TryAdd(pending))
        {
            if (queue.IsClosed)
            {
                throw ShuttingDown();
            }

            Rejected.Add(1);
            throw new ClassifierQueueFullException(
                $"the classifier queue on this silo is full ({options.MaxQueueLength} photos waiting); retry shortly");
        }

        return pending.Result.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Two stages on two threads: while one batch runs on the device, the next is gathered and stacked.
        stoppingToken.Register(() => Fail(queue.Close(), ShuttingDown()));
        return Task.WhenAll(
            OnOwnThread("vitrina-batch-gather", GatherBatches),
            OnOwnThread("vitrina-batch-infer", RunBatches));
    }

    private static Task OnOwnThread(string name, Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                body();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true, Name = name }.Start();
        return done.Task;
    }

    private void GatherBatches()
    {
        try
        {
            LoadBeforeTheFirstRequest();
            nextModelCheck = DateTime.UtcNow + options.ModelCheckInterval;
            while (queue.TakeBatch(options.MaxBatchSize, options.MaxQueueDelay) is { } batch)
            {
                CatalogueClassifier model;
                try
                {
                    model = Current;
                }
                catch (Exception e) when (Unservable(e))
                {
                    Fail(batch, e);
                    continue;
                }

                var preparation = model.Manifest.Preparation;
                // Stale photos are rare (only around a switch of versions): the common batch is used as taken.
                var stale = batch.FindAll(p => !p.Fits(preparation));
                if (stale.Count > 0)
                {
                    batch.RemoveAll(p => !p.Fits(preparation));
                    Fail(stale, Changed(preparation));
                    if (batch.Count == 0)
                    {
                        continue;
                    }
                }

                try
                {
                    var first = batch[0].Image;
                    // Neither blocks for long: the inference thread returns each buffer and takes each batch.
                    var buffer = buffers.Rent(first.Height, first.Width, pinned: model.Device.type == TorchSharp.DeviceType.CUDA);
                    Tensor pixels;
                    try
                    {
                        pixels = CatalogueClassifier.StackInto(batch.Select(p => p.Image).ToList(), buffer);
                    }
                    catch
                    {
                        buffers.Return(buffer);
                        throw;
                    }

                    ready.Add(new StackedBatch(batch, buffer, pixels));
                }
                catch (Exception e)
                {
                    if (e is not ArgumentException)
                    {
                        logger.LogError(e, "Stacking a batch of {Count} photos failed", batch.Count);
                    }

                    Fail(batch, e);
                }
            }
        }
        finally
        {
            ready.CompleteAdding();
            // Requests still queued at shutdown are answered, not dropped: callers retry elsewhere.
            Fail(queue.Close(), ShuttingDown());
        }
    }

    private void RunBatches()
    {
        foreach (var stacked in ready.GetConsumingEnumerable())
        {
            using (stacked.Pixels)
            {
                RunBatch(stacked.Requests, stacked.Pixels);
            }

            // Classify returns once the results are back on the host, so the device has finished reading the buffer.
            buffers.Return(stacked.Buffer);
        }
    }

    private void RunBatch(List<PendingRequest> batch, Tensor pixels)
    {
        CheckForNewModel();
        var model = Current;
        if (!batch[0].Fits(model.Manifest.Preparation))
        {
            // The new version came in between stacking and running: the photos go back to be prepared for it.
            Fail(batch, Changed(model.Manifest.Preparation));
            return;
        }

        var now = Stopwatch.GetTimestamp();
        foreach (var p in batch)
        {
            QueueWait.Record(Stopwatch.GetElapsedTime(p.Enqueued, now).TotalMilliseconds);
        }

        BatchSizes.Record(batch.Count);
        LargestBatch = Math.Max(LargestBatch, batch.Count);
        Interlocked.Add(ref classified, batch.Count);
        try
        {
            var predictions = ClassifyOrFallBack(model, pixels);
            var threshold = model.Manifest.ModerationThreshold;
            for (var i = 0; i < batch.Count; i++)
            {
                var p = predictions[i];
                batch[i].Result.TrySetResult(new ClassificationResult
                {
                    Colour = p.Colour,
                    ColourProbability = p.ColourProbability,
                    Category = p.Category,
                    CategoryProbability = p.CategoryProbability,
                    ModelVersion = model.Manifest.Version,
                    NeedsModeration = p.ColourProbability < threshold || p.CategoryProbability < threshold,
                });
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Classifying a batch of {Count} photos failed", batch.Count);
            Fail(batch, e);
        }
    }

    /// <summary>
    /// A CUDA failure mid-run (device lost, driver error, out of memory) must not fail every photo from then on: the
    /// silo switches its model to the CPU for good, loudly and counted, and runs the same batch again there.
    /// </summary>
    private IReadOnlyList<Training.Inference.Prediction> ClassifyOrFallBack(CatalogueClassifier model, Tensor pixels)
    {
        try
        {
            return model.Classify(pixels);
        }
        catch (Exception e) when (model.Device.type != TorchSharp.DeviceType.CPU)
        {
            CudaFallbacks.Add(1);
            logger.LogCritical(e, "Classifying on {Device} failed; this silo's classifier falls back to CPU (float32) until restarted", model.Device);
            CatalogueClassifier cpu;
            lock (swap)
            {
                cudaFailed = true;
                cpu = Load(model.Manifest);
                Volatile.Write(ref classifier, cpu);
            }

            try
            {
                model.Dispose();
            }
            catch (Exception disposal)
            {
                logger.LogWarning("Releasing the failed {Device} model: {Error}", model.Device, disposal.Message);
            }

            return cpu.Classify(pixels);
        }
    }

    private static ClassifierQueueFullException ShuttingDown() => new("the silo is shutting down; retry");

    private static ModelChangedException Changed(PreparationSettings preparation) =>
        new($"the model in service now takes {preparation.Size}x{preparation.Size} photos resized by {preparation.Resize}; prepare the photo again");

    private static void Fail(List<PendingRequest> batch, Exception error)
    {
        foreach (var p in batch)
        {
            p.Result.TrySetException(error);
        }
    }

    private void CheckForNewModel()
    {
        if (DateTime.UtcNow < nextModelCheck)
        {
            return;
        }

        nextModelCheck = DateTime.UtcNow + options.ModelCheckInterval;
        string? version;
        try
        {
            version = store.CurrentVersion();
        }
        catch (IOException e)
        {
            logger.LogWarning("Model store {Store} unreadable: {Error}", store.Root, e.Message);
            return;
        }

        if (version is null || version == classifier?.Manifest.Version || version == refusedVersion)
        {
            return;
        }

        try
        {
            var next = Load(store.Get(version));
            CatalogueClassifier? previous;
            lock (swap)
            {
                previous = classifier;
                classifier = next;
            }

            previous?.Dispose();
            logger.LogInformation("Classifier switched to model {Version}", version);
        }
        catch (Exception e) when (Unservable(e))
        {
            LoadFailures.Add(1);
            if (e is ModelUnavailableException)
            {
                refusedVersion = version; // it will not load later either; a manifest read mid-copy is tried again
            }

            logger.LogError("Model {Version} failed to load; {Previous} keeps serving: {Error}", version, classifier?.Manifest.Version, e.Message);
        }
    }

    /// <summary>Loads the model at start-up, not on the first request's grain turn; a store with nothing to serve is logged, not fatal.</summary>
    private void LoadBeforeTheFirstRequest()
    {
        try
        {
            _ = Current;
        }
        catch (Exception e) when (Unservable(e))
        {
            logger.LogCritical("No model can be served; classify requests fail until one can: {Error}", e.Message);
        }
    }

    /// <summary>
    /// With no version serving yet there is nothing to keep, so a current version this build cannot serve (trained by
    /// another Vitrina, damaged weights) gives way to the newest version that loads, and says so.
    /// </summary>
    private CatalogueClassifier LoadAtStartUp()
    {
        var wanted = store.CurrentVersion();
        try
        {
            return Load(store.Current()); // an empty store throws here, with the store's own message
        }
        catch (Exception refused) when (wanted is not null && Unservable(refused))
        {
            LoadFailures.Add(1);
            refusedVersion = wanted;
            foreach (var candidate in store.List().Where(m => m.Version != wanted && ModelLoader.Supports(m)).Reverse())
            {
                try
                {
                    var fallback = Load(candidate);
                    logger.LogError("Model {Version}, the current one, cannot be served; serving {Fallback} until the current version changes: {Error}",
                        wanted, candidate.Version, refused.Message);
                    return fallback;
                }
                catch (ModelUnavailableException)
                {
                    LoadFailures.Add(1);
                }
            }

            throw new ModelUnavailableException($"{refused.Message} No other version in {store.Root} loads either.", refused);
        }
    }

    /// <summary>A model that cannot be served, or a store that cannot be read: reported, never fatal to the silo.</summary>
    private static bool Unservable(Exception e) => e is ModelUnavailableException or InvalidDataException or IOException;

    private CatalogueClassifier Load(ModelManifest manifest)
    {
        var device = Device();
        var precision = Precision(device);
        var loaded = CatalogueClassifier.Load(store, manifest, device, precision);
        logger.LogInformation("Loaded model {Version} ({Architecture}) from {Store} on {Device} in {Precision}",
            manifest.Version, manifest.Architecture, store.Root, loaded.Device, precision);
        return loaded;
    }

    private TorchSharp.torch.ScalarType Precision(TorchSharp.torch.Device device)
    {
        if (cudaFailed)
        {
            return TorchSharp.torch.ScalarType.Float32; // float16 was chosen for the GPU this silo lost
        }

        switch (options.Precision.ToLowerInvariant())
        {
            case "fp32":
                return TorchSharp.torch.ScalarType.Float32;
            case "fp16":
                if (device.type == TorchSharp.DeviceType.CPU)
                {
                    logger.LogWarning("Vitrina:Classifier:Precision=fp16 on CPU: correct, but CPU kernels for float16 are many times slower than float32");
                }

                return TorchSharp.torch.ScalarType.Float16;
            case "auto":
                return device.type == TorchSharp.DeviceType.CUDA ? TorchSharp.torch.ScalarType.Float16 : TorchSharp.torch.ScalarType.Float32;
            default:
                throw new InvalidDataException($"Vitrina:Classifier:Precision must be auto, fp32 or fp16, not '{options.Precision}'.");
        }
    }

    private TorchSharp.torch.Device Device()
    {
        var wanted = options.Device.ToLowerInvariant();
        if (wanted == "cpu" || cudaFailed)
        {
            return TorchSharp.torch.CPU;
        }

        var available = CudaProbe.IsAvailable(out var error);
        if (error is not null)
        {
            logger.LogWarning("CUDA probe failed ({Error}); using CPU", error);
        }

        if (available)
        {
            return TorchSharp.torch.CUDA;
        }

        if (wanted == "cuda")
        {
            CudaFallbacks.Add(1);
            logger.LogWarning("CUDA was asked for (Vitrina:Classifier:Device=cuda) but is not available to this silo; classifying on CPU");
        }

        return TorchSharp.torch.CPU;
    }

    public override void Dispose()
    {
        classifier?.Dispose();
        buffers.Dispose();
        ready.Dispose();
        base.Dispose();
    }

    /// <param name="Pixels">The batch's rows of <paramref name="Buffer"/>.</param>
    private sealed record StackedBatch(List<PendingRequest> Requests, Tensor Buffer, Tensor Pixels);
}
