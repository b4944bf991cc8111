namespace Vitrina.Grains.Classification;

/// <summary>Model host settings (section <c>Vitrina:Classifier</c>).</summary>
public sealed class ClassifierOptions
{
    public const string Section = "Vitrina:Classifier";

    /// <summary>The model store folder; an empty store is seeded with the shipped model.</summary>
    public string ModelStore { get; set; } = Path.Combine("var", "models");

    /// <summary>A batch runs when it holds this many photos...</summary>
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>...or when its oldest photo has waited this long.</summary>
    public TimeSpan MaxQueueDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Requests waiting beyond this are refused with a retryable error instead of piling up in memory.</summary>
    public int MaxQueueLength { get; set; } = 4096;

    /// <summary>
    /// Also refused: a request that would wait longer than this, judged by the queue's length and the photos per second
    /// the device has lately classified. Callers back off and retry well inside Orleans' 30 s response timeout instead
    /// of timing out on photos still queued (4,096 photos are 0.2 s on a GPU, 100 s on a CPU silo).
    /// </summary>
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Classifier grain activations across the cluster; each forwards to its silo's one model host, so more than the
    /// number of classify silos only evens out placement.
    /// </summary>
    public int Activations { get; set; } = 16;

    /// <summary><c>auto</c> (CUDA when present, else CPU), <c>cuda</c> or <c>cpu</c>.</summary>
    public string Device { get; set; } = "auto";

    /// <summary>
    /// What the convolutions compute in: <c>auto</c> (float16 on CUDA, float32 on CPU), <c>fp32</c>, <c>fp16</c> or
    /// <c>bf16</c> (bfloat16: twice float32's throughput on CPUs with AVX-512 BF16 or AMX). Heads and probabilities stay
    /// float32; docs/benchmarks.md has the measured agreement with float32. On CPU <c>auto</c> stays float32, the
    /// precision `vitrina predict` and `evaluate` report in.
    /// </summary>
    public string Precision { get; set; } = "auto";

    /// <summary>
    /// Threads for libtorch's CPU kernels; 0: the cores this process may use. libtorch by itself counts the machine's
    /// cores, and in a container with a CPU limit it would run more threads than the limit lets run at once, each
    /// batch then waiting on its throttled stragglers. An <c>OMP_NUM_THREADS</c> in the environment wins over 0.
    /// </summary>
    public int CpuThreads { get; set; }

    /// <summary>The thread count to give libtorch, or null to leave its own (<c>OMP_NUM_THREADS</c> was set).</summary>
    public int? TorchCpuThreads(string? ompNumThreads) =>
        CpuThreads > 0 ? CpuThreads
        : string.IsNullOrWhiteSpace(ompNumThreads) ? Environment.ProcessorCount
        : null;

    /// <summary>How often the host looks for a new current model version.</summary>
    public TimeSpan ModelCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Refuses settings the model host could only fail on later, naming the setting and what it accepts.</summary>
    public void Validate()
    {
        if (Device.ToLowerInvariant() is not ("auto" or "cuda" or "cpu"))
        {
            throw new ArgumentException($"Vitrina:Classifier:Device must be auto, cuda or cpu, not '{Device}'.");
        }

        if (Precision.ToLowerInvariant() is not ("auto" or "fp32" or "fp16" or "bf16"))
        {
            throw new ArgumentException($"Vitrina:Classifier:Precision must be auto, fp32, fp16 or bf16, not '{Precision}'.");
        }

        if (CpuThreads < 0)
        {
            throw new ArgumentException($"Vitrina:Classifier:CpuThreads must be 0 (the process's cores) or more, not {CpuThreads}.");
        }

        if (MaxBatchSize < 1 || MaxQueueLength < 1 || MaxQueueDelay < TimeSpan.Zero || MaxQueueWait <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                "Vitrina:Classifier:MaxBatchSize and MaxQueueLength must be at least 1, MaxQueueDelay not negative, MaxQueueWait positive.");
        }
    }
}
