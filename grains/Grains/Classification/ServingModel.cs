using Vitrina.Training.Inference;
using Vitrina.Training.Store;
using Tensor = TorchSharp.torch.Tensor;

namespace Vitrina.Grains.Classification;

/// <summary>
/// The model version a silo serves and the device it runs on. Loaded at start-up (the newest version that loads when
/// the current one cannot be served); switched between batches when the current version changes, a version that fails
/// to load leaving the old one serving; moved to the CPU for good when the GPU fails mid-run.
/// </summary>
public sealed class ServingModel : IDisposable
{

    private readonly ClassifierOptions options;
    private readonly ILogger logger;
    private readonly ModelStore store;
    private readonly Lock swap = new();
    private ColourCategoryClassifier? classifier;
    private bool cudaFailed;
    /// <summary>In <see cref="Environment.TickCount64"/> milliseconds: a wall clock stepped back would stall the checks.</summary>
    private long nextModelCheck;

    /// <summary>The current version when it could not be served: not tried again until the current pointer moves.</summary>
    private string? refusedVersion;

    private readonly Func<(bool Available, string? Error)> cudaProbe;

    public ServingModel(ClassifierOptions options, ILogger logger)
        : this(options, logger, () => (CudaProbe.IsAvailable(out var error), error))
    {
    }

    /// <param name="cudaProbe">Whether CUDA answers; tests pretend it does on a machine without one.</param>
    internal ServingModel(ClassifierOptions options, ILogger logger, Func<(bool Available, string? Error)> cudaProbe)
    {
        options.Validate();
        this.options = options;
        this.logger = logger;
        this.cudaProbe = cudaProbe;
        store = new ModelStore(options.ModelStore, ModelStore.ShippedRoot);
    }

    /// <summary>The model in service, loaded on first use.</summary>
    public ColourCategoryClassifier Current
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

    /// <summary>The current version while it cannot be served (another one serves instead); null otherwise.</summary>
    public string? RefusedVersion => Volatile.Read(ref refusedVersion);

    /// <summary>Why no model serves, while none does and loading one at start-up failed; null otherwise.</summary>
    public string? NothingToServe => Loaded ? null : Volatile.Read(ref nothingToServe);

    private string? nothingToServe;

    /// <summary>
    /// A CUDA failure mid-run (device lost, driver error, out of memory) must not fail every photo from then on: the
    /// silo switches its model to the CPU for good, loudly and counted, and runs the same batch again there.
    /// </summary>
    public IReadOnlyList<Prediction> Classify(ColourCategoryClassifier model, Tensor pixels)
    {
        try
        {
            return model.Classify(pixels);
        }
        catch (Exception e) when (model.Device.type != TorchSharp.DeviceType.CPU)
        {
            // Loaded outside the lock, as a version switch is: grain turns and health probes read Current meanwhile.
            CudaFailed(e, $"Classifying on {model.Device}");
            var cpu = Load(model.Manifest);
            lock (swap)
            {
                classifier = cpu;
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

    /// <summary>Between batches: switches to the current version when it changed, at most once per check interval.</summary>
    public void SwitchIfChanged()
    {
        if (Environment.TickCount64 < nextModelCheck)
        {
            return;
        }

        nextModelCheck = Environment.TickCount64 + (long)options.ModelCheckInterval.TotalMilliseconds;
        string? version;
        try
        {
            version = store.CurrentVersion();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Model store {Store} unreadable: {Error}", store.Root, e.Message);
            return;
        }

        if (version != refusedVersion)
        {
            Volatile.Write(ref refusedVersion, null); // the pointer moved on
        }

        if (version is null || version == classifier?.Manifest.Version || version == refusedVersion)
        {
            return;
        }

        try
        {
            var next = Load(store.Get(version));
            ColourCategoryClassifier? previous;
            lock (swap)
            {
                previous = classifier;
                classifier = next;
            }

            previous?.Dispose();
            logger.LogInformation("Classifier switched to model {Version}", version);
        }
        catch (Exception e)
        {
            // Whatever stops the new version (bad weights, a half-copied folder, a device error while loading), the
            // old one keeps serving.
            ClassifierMetrics.RecordLoadFailure();
            if (e is ModelUnavailableException)
            {
                refusedVersion = version; // it will not load later either; a manifest read mid-copy is tried again
            }

            logger.LogError(e is ModelUnavailableException ? null : e, "Model {Version} failed to load; {Previous} keeps serving: {Error}",
                version, classifier?.Manifest.Version, e.Message);
        }
    }

    /// <summary>Loads the model at start-up, not on the first request's grain turn; a store with nothing to serve is logged, not fatal.</summary>
    public void LoadNow()
    {
        nextModelCheck = Environment.TickCount64 + (long)options.ModelCheckInterval.TotalMilliseconds;
        try
        {
            _ = Current;
        }
        catch (Exception e)
        {
            // Whatever it was, the batching threads must start: requests fail with the reason until a version loads.
            Volatile.Write(ref nothingToServe, e.Message);
            logger.LogCritical(Unservable(e) ? null : e, "No model can be served; classify requests fail until one can: {Error}", e.Message);
        }
    }

    /// <summary>
    /// With no version serving yet there is nothing to keep, so a current version this build cannot serve (trained by
    /// another Vitrina, damaged weights) gives way to the newest version that loads, and says so.
    /// </summary>
    private ColourCategoryClassifier LoadAtStartUp()
    {
        var wanted = store.CurrentVersion();
        try
        {
            return Load(wanted is null ? store.Current() : store.Get(wanted)); // an empty store throws, with the store's own message
        }
        catch (Exception refused) when (wanted is not null && Unservable(refused))
        {
            ClassifierMetrics.RecordLoadFailure();
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
                    ClassifierMetrics.RecordLoadFailure();
                }
            }

            throw new ModelUnavailableException($"{refused.Message} No other version in {store.Root} loads either.", refused);
        }
    }

    /// <summary>A model that cannot be served, or a store that cannot be read: reported, never fatal to the silo.</summary>
    public static bool Unservable(Exception e) => e is ModelUnavailableException or InvalidDataException or IOException;

    private ColourCategoryClassifier Load(ModelManifest manifest)
    {
        var device = Device();
        var precision = Precision(device);
        var model = ModelLoader.Load(store, manifest, precision); // on the CPU: damaged weights are refused here
        ColourCategoryClassifier loaded;
        try
        {
            loaded = new ColourCategoryClassifier(model, manifest, device) { Precision = precision };
        }
        catch (Exception e) when (device.type != TorchSharp.DeviceType.CPU)
        {
            // The GPU refused the weights (its memory held by another process, a driver error): the same failure as
            // one mid-run, so the same answer, rather than a silo that stops or a version switch retried forever.
            CudaFailed(e, $"Moving model {manifest.Version} onto {device}");
            return Load(manifest);
        }

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
            case "bf16":
                if (device.type == TorchSharp.DeviceType.CPU && !CpuBFloat16.Supported)
                {
                    logger.LogWarning("Vitrina:Classifier:Precision=bf16 on a CPU without bfloat16 instructions (AVX-512 BF16 or AMX): " +
                        "correct, but emulated and slower than float32");
                }

                return TorchSharp.torch.ScalarType.BFloat16;
            default: // auto: the only other value ClassifierOptions.Validate lets through
                return device.type == TorchSharp.DeviceType.CUDA ? TorchSharp.torch.ScalarType.Float16 : TorchSharp.torch.ScalarType.Float32;
        }
    }

    private TorchSharp.torch.Device Device()
    {
        var wanted = options.Device.ToLowerInvariant();
        if (wanted == "cpu" || cudaFailed)
        {
            return TorchSharp.torch.CPU;
        }

        var (available, error) = cudaProbe();
        if (error is not null)
        {
            logger.LogWarning("CUDA probe failed ({Error}); using CPU", error);
        }

        if (available)
        {
            try
            {
                return TorchSharp.torch.CUDA;
            }
            catch (Exception e)
            {
                CudaFailed(e, "Initialising CUDA");
                return TorchSharp.torch.CPU;
            }
        }

        if (wanted == "cuda")
        {
            ClassifierMetrics.RecordCudaFallback();
            logger.LogWarning("CUDA was asked for (Vitrina:Classifier:Device=cuda) but is not available to this silo; classifying on CPU");
        }

        return TorchSharp.torch.CPU;
    }

    /// <summary>Loudly and counted: from now on this silo's model loads on the CPU, in float32.</summary>
    private void CudaFailed(Exception e, string what)
    {
        ClassifierMetrics.RecordCudaFallback();
        logger.LogCritical(e, "{What} failed; this silo's classifier falls back to CPU (float32) until restarted", what);
        cudaFailed = true;
    }

    public void Dispose() => classifier?.Dispose();
}
