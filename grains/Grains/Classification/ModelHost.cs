using System.Diagnostics;
using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vitrina.Grains.Diagnostics;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Store;
using Tensor = TorchSharp.torch.Tensor;

namespace Vitrina.Grains.Classification;

/// <summary>
/// The silo's one model instance and its batcher: classify requests from all grains queue here and run as one forward
/// pass when <see cref="ClassifierOptions.MaxBatchSize"/> photos are waiting or the oldest has waited
/// <see cref="ClassifierOptions.MaxQueueDelay"/>. Gathering and inference run on two threads of their own, never on a grain
/// turn nor behind the thread pool's queue of photo decodes. Between batches it lets <see cref="ServingModel"/> switch
/// to a new current model version.
/// </summary>
public sealed class ModelHost : BackgroundService
{

    private readonly ClassifierOptions options;
    private readonly ILogger<ModelHost> logger;
    private readonly RequestQueue queue;
    private readonly ServingModel serving;

    /// <summary>The stacked batch waiting for the device while the one before it runs.</summary>
    private readonly BlockingCollection<StackedBatch> ready = new(boundedCapacity: 1);
    private readonly BatchBuffers buffers;
    private readonly RepeatedErrors failures = new();

    public ModelHost(IOptions<ClassifierOptions> options, ILogger<ModelHost> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        serving = new ServingModel(this.options, logger);
        buffers = new BatchBuffers(this.options.MaxBatchSize, logger);
        queue = new RequestQueue();
    }

    /// <summary>The largest batch run so far (tests and the dashboard read it).</summary>
    public int LargestBatch { get; private set; }

    /// <summary>Photos classified by this silo since it started (the dashboard derives a rate from it).</summary>
    public long Classified => Interlocked.Read(ref classified);

    /// <summary>Batches run by this silo since it started (with <see cref="Classified"/>: photos per batch).</summary>
    public long Batches => Interlocked.Read(ref batches);

    /// <summary>Photos waiting for the device now, and how many may wait (<see cref="ClassifierOptions.MaxQueueWait"/>).</summary>
    public (int Queued, int Limit) Queue => (queue.Count, QueueLimit());

    /// <summary>Requests refused because the queue was full, since the silo started.</summary>
    public long Refused => Interlocked.Read(ref refused);

    private long classified;
    private long batches;
    private long refused;
    private int disposed;

    /// <summary>Photos per second the device classified over the last batches (a moving average); 0 before the first.</summary>
    private double serviceRate;
    private long measuredBatches;

    /// <summary>Completes once the started host has loaded its model and measured its rate (or failed to).</summary>
    private TaskCompletionSource? warmingUp;

    /// <summary>The model in service, loaded on first use.</summary>
    public ColourCategoryClassifier Current => serving.Current;

    /// <summary>Whether a model has been loaded (readiness waits for it on classify silos).</summary>
    public bool Loaded => serving.Loaded;

    /// <summary>The current version while it cannot be served (another one serves instead); null otherwise.</summary>
    public string? RefusedVersion => serving.RefusedVersion;

    /// <summary>Why no model serves, while none does and loading one at start-up failed; null otherwise.</summary>
    public string? NothingToServe => serving.NothingToServe;

    /// <summary>
    /// Where the model in service computes, and in what: <c>cuda float16</c>, <c>cpu bfloat16</c>... A silo whose CUDA
    /// failed says <c>cpu float32</c> here while it still advertises its GPU. Null before a model is loaded.
    /// </summary>
    public string? ServedOn
    {
        get
        {
            if (!Loaded)
            {
                return null;
            }

            var current = Current; // once: a switch between two reads would pair one model's device with another's precision
            var (device, precision) = (current.Device, current.Precision);
            var index = device.index >= 0 ? $":{device.index}" : ""; // an index only where one was asked for
            return $"{device.type.ToString().ToLowerInvariant()}{index} {precision.ToString().ToLowerInvariant()}";
        }
    }

    /// <summary>
    /// What image grains prepare photos for. Called on grain threads: it waits for the start-up load on its gate, as
    /// <see cref="Classify"/> does, and never loads a model itself (a load takes seconds, CUDA's start more).
    /// </summary>
    public async Task<ModelInfo> Info(CancellationToken cancellation = default)
    {
        if (warmingUp is { Task.IsCompleted: false } warmUp)
        {
            await warmUp.Task.WaitAsync(cancellation);
        }

        if (warmingUp is not null && !Loaded)
        {
            throw new ModelUnavailableException(
                $"no model can be served on this silo{(RefusedVersion is { } refused ? $" (version {refused} was refused)" : "")}; its log says why");
        }

        var manifest = Current.Manifest;
        return new ModelInfo(manifest.Version, manifest.Preparation.Size, manifest.Preparation.Resize.ToString(),
            manifest.ColourClasses, manifest.CategoryClasses);
    }

    public Task<ClassificationResult> Classify(ClassifyRequest request, CancellationToken cancellation = default)
    {
        if (warmingUp is { Task.IsCompleted: false } warmUp)
        {
            return AfterWarmUp(warmUp.Task, request, cancellation);
        }

        var pending = new PendingRequest(PreparedImage.Create(request.Width, request.Height, request.Pixels), request.Resize, Stopwatch.GetTimestamp(), cancellation);
        var limit = QueueLimit();
        if (!queue.TryAdd(pending, limit))
        {
            if (queue.IsClosed)
            {
                throw ShuttingDown();
            }

            ClassifierMetrics.RecordRejected();
            Interlocked.Increment(ref refused);
            throw new ClassifierQueueFullException(limit < options.MaxQueueLength
                ? $"the classifier queue on this silo is full ({limit} photos waiting, {options.MaxQueueWait.TotalSeconds:0.#} s of work at " +
                  $"{Volatile.Read(ref serviceRate):0} photos/s); retry shortly"
                : $"the classifier queue on this silo is full ({limit} photos waiting); retry shortly");
        }

        return pending.Result.Task;
    }

    /// <summary>
    /// Requests that arrive while the host loads its model and measures its rate wait for that, a second or two, rather
    /// than enter a queue whose wait limit is not known yet: a silo starting under its accounts' first polls took in
    /// 600 photos, 20 s of CPU work, before its first batch.
    /// </summary>
    private async Task<ClassificationResult> AfterWarmUp(Task warmUp, ClassifyRequest request, CancellationToken cancellation)
    {
        await warmUp.WaitAsync(cancellation);
        return await Classify(request, cancellation);
    }

    /// <summary>
    /// The queue is bounded by how long its photos would wait (<see cref="ClassifierOptions.MaxQueueWait"/>) as well as
    /// by their number, never below two batches so the device always has the next one ready.
    /// </summary>
    private int QueueLimit()
    {
        var rate = Volatile.Read(ref serviceRate);
        if (rate <= 0)
        {
            return options.MaxQueueLength;
        }

        var byWait = (int)Math.Min(int.MaxValue, rate * options.MaxQueueWait.TotalSeconds);
        return Math.Clamp(byWait, Math.Min(2 * options.MaxBatchSize, options.MaxQueueLength), options.MaxQueueLength);
    }

    /// <summary>
    /// Two small batches of blank photos before serving: the first pays the model's warm-up, the second's rate bounds the
    /// queue from the first request on. A cold silo would otherwise take in up to <see cref="ClassifierOptions.MaxQueueLength"/>
    /// photos (100 s of work on a CPU) from the accounts onboarded with it.
    /// </summary>
    private void MeasureServiceRate()
    {
        if (!serving.Loaded)
        {
            return;
        }

        try
        {
            var model = serving.Current;
            var size = model.Manifest.Preparation.Size;
            var blank = PreparedImage.Create(size, size, new byte[size * size * 3]);
            var photos = Enumerable.Repeat(blank, Math.Min(8, options.MaxBatchSize)).ToList();
            for (var i = 0; i < 2; i++)
            {
                var started = Stopwatch.GetTimestamp();
                model.Classify(photos);
                RecordServiceRate(photos.Count, started);
            }
        }
        catch (Exception e)
        {
            // The first real batch measures instead; a device error there takes the CPU fallback.
            logger.LogWarning(e, "Measuring the classifier's rate before serving failed");
        }
    }

    private void RecordServiceRate(int photos, long started)
    {
        if (++measuredBatches == 1)
        {
            return; // the first batch pays the model's warm-up: its rate would choke the queue for the next dozen batches
        }

        var rate = photos / Math.Max(Stopwatch.GetElapsedTime(started).TotalSeconds, 1e-6);
        var previous = Volatile.Read(ref serviceRate);
        Volatile.Write(ref serviceRate, previous <= 0 ? rate : 0.8 * previous + 0.2 * rate);
    }

    /// <summary>
    /// Opens the warm-up gate before the base class starts <see cref="ExecuteAsync"/>, which .NET 10 runs wholly in the
    /// background: opened there, a request arriving in between entered a queue whose wait limit was not known yet (a
    /// test sending 200 at once saw none refused in some runs).
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        warmingUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Before any kernel runs: libtorch reads the count once per thread, at that thread's first parallel kernel.
        if (options.TorchCpuThreads(Environment.GetEnvironmentVariable("OMP_NUM_THREADS")) is { } threads)
        {
            TorchSharp.torch.set_num_threads(threads);
        }

        logger.LogInformation("libtorch CPU kernels use {Threads} threads", TorchSharp.torch.get_num_threads());

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
            serving.LoadNow();
            MeasureServiceRate();
            warmingUp?.TrySetResult();
            while (queue.TakeBatch(options.MaxBatchSize, options.MaxQueueDelay) is { } batch)
            {
                if (DropAbandoned(batch))
                {
                    continue;
                }

                ColourCategoryClassifier model;
                try
                {
                    model = serving.Current;
                }
                catch (Exception e)
                {
                    FailedBatch("loading the model", batch.Count, e, model: null, log: !ServingModel.Unservable(e)); // logged as it loaded

                    Fail(batch, e); // this thread must outlive any one batch: the queue closes when it ends
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
                        pixels = PreparedBatch.StackInto(batch.Select(p => p.Image).ToList(), buffer);
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
                    // An ArgumentException is a photo of another size in the batch: its callers get the reason.
                    FailedBatch("stacking", batch.Count, e, model, log: e is not ArgumentException);
                    Fail(batch, e);
                }
            }
        }
        finally
        {
            warmingUp?.TrySetResult(); // should loading itself have thrown: the waiting requests meet the closed queue
            ready.CompleteAdding();
            // Requests still queued at shutdown are answered, not dropped: callers retry elsewhere.
            Fail(queue.Close(), ShuttingDown());
        }
    }

    /// <summary>
    /// Answers the photos whose callers stopped waiting (their image call was cancelled or timed out) as cancelled,
    /// without classifying them: under a backlog they would cost device time for nobody. True when none is left.
    /// </summary>
    private static bool DropAbandoned(List<PendingRequest> batch)
    {
        var dropped = batch.RemoveAll(p =>
        {
            if (!p.Cancellation.IsCancellationRequested)
            {
                return false;
            }

            p.Result.TrySetCanceled(p.Cancellation);
            return true;
        });
        if (dropped > 0)
        {
            ClassifierMetrics.RecordAbandoned(dropped);
        }

        return batch.Count == 0;
    }

    private void RunBatches()
    {
        foreach (var stacked in ready.GetConsumingEnumerable())
        {
            using (stacked.Pixels)
            {
                try
                {
                    RunBatch(stacked.Requests, stacked.Pixels);
                }
                catch (Exception e)
                {
                    // Whatever went wrong (switching versions, a device error outside the forward pass), it fails this
                    // batch only: a dead inference thread would leave every later request waiting forever.
                    FailedBatch("before classification", stacked.Requests.Count, e, model: null);
                    Fail(stacked.Requests, e);
                }
            }

            // Classify returns once the results are back on the host, so the device has finished reading the buffer.
            buffers.Return(stacked.Buffer);
        }
    }

    private void RunBatch(List<PendingRequest> batch, Tensor pixels)
    {
        serving.SwitchIfChanged();
        var model = serving.Current;
        if (!batch[0].Fits(model.Manifest.Preparation))
        {
            // The new version came in between stacking and running: the photos go back to be prepared for it.
            Fail(batch, Changed(model.Manifest.Preparation));
            return;
        }

        var now = Stopwatch.GetTimestamp();
        foreach (var p in batch)
        {
            ClassifierMetrics.RecordQueueWait(p.Enqueued, now);
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            var predictions = serving.Classify(model, pixels);
            RecordServiceRate(batch.Count, started);
            // Counted once classified: the dashboard's classified/s must not include batches that failed.
            ClassifierMetrics.RecordBatch(batch.Count);
            LargestBatch = Math.Max(LargestBatch, batch.Count);
            Interlocked.Add(ref classified, batch.Count);
            Interlocked.Increment(ref batches);
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
                    NeedsModeration = p.NeedsModeration(model.Manifest),
                    InTaxonomyProbability = p.InTaxonomyProbability,
                });
            }
        }
        catch (Exception e)
        {
            FailedBatch("classifying", batch.Count, e, model);
            Fail(batch, e);
        }
    }

    /// <summary>
    /// Counts a batch that failed, and logs it unless alike failures were logged within the minute: a model that throws
    /// on every batch failed about 30 a second, each with its stack trace (<see cref="RepeatedErrors"/>).
    /// </summary>
    /// <param name="model">The model the batch ran on, where it got that far.</param>
    /// <param name="log">False where the cause is said elsewhere: counted only.</param>
    private void FailedBatch(string stage, int count, Exception e, ColourCategoryClassifier? model, bool log = true)
    {
        var kind = RepeatedErrors.KindOf(e);
        ClassifierMetrics.RecordFailedBatch(stage, kind);
        if (log && failures.ShouldLog($"{stage}/{kind}", out var leftOut))
        {
            logger.LogError(e, "A batch of {Count} photos failed {Stage} (model {Version}, device {Device}); {LeftOut} more batches failed alike " +
                "since the last one logged, counted (vitrina.classifier.failed_batches), not logged",
                count, stage, model?.Manifest.Version ?? "not chosen yet", model?.Device.ToString() ?? "none", leftOut);
        }
    }

    private static ClassifierStoppingException ShuttingDown() => new("the classifier on this silo is stopping with the silo; retry");

    private static ModelChangedException Changed(PreparationSettings preparation) =>
        new($"the model in service now takes {preparation.Size}x{preparation.Size} photos resized by {preparation.Resize}; prepare the photo again");

    private static void Fail(List<PendingRequest> batch, Exception error)
    {
        foreach (var p in batch)
        {
            p.Result.TrySetException(error);
        }
    }

    /// <summary>
    /// Also where <see cref="ExecuteAsync"/> never ran (a stop that came before the thread pool started it): waiters on
    /// the warm-up gate and the queue are answered then too, not left waiting for good.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Fail(queue.Close(), ShuttingDown());
        warmingUp?.TrySetResult();
    }

    public override void Dispose()
    {
        // Registered both as itself and as a hosted service, the container disposes it twice: wait for the threads once.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        base.Dispose(); // cancels: the queue closes and both threads run out
        // The host stops waiting for them once its shutdown timeout is spent. A batch still on the device then must not
        // have its model and buffers freed under it: that would crash the process on its way out.
        if (!BatchingThreadsEnded(TimeSpan.FromSeconds(10)))
        {
            logger.LogWarning("The classifier's batching threads still run at shutdown; their model and buffers are left to the process's exit");
            return;
        }

        serving.Dispose();
        buffers.Dispose();
        ready.Dispose();
    }

    private bool BatchingThreadsEnded(TimeSpan within)
    {
        try
        {
            return ExecuteTask?.Wait(within) ?? true;
        }
        catch (AggregateException)
        {
            return true; // ended by failing
        }
    }

    /// <param name="Pixels">The batch's rows of <paramref name="Buffer"/>.</param>
    private sealed record StackedBatch(List<PendingRequest> Requests, Tensor Buffer, Tensor Pixels);
}
