using Microsoft.Extensions.Configuration;
using Vitrina.Grains.Classification;

namespace Vitrina.Grains.Placement;

/// <summary>What a silo tells the cluster about itself: its roles and the hardware its classifier would use.</summary>
public sealed record SiloDescription(IReadOnlyList<string> Roles, bool Gpu, string Device, long MemoryMiB)
{
    /// <summary>The silo's own settings: <c>Name</c>, <c>Roles</c>, <c>Gpu</c>, <c>ShutdownTimeout</c>.</summary>
    public const string Section = "Vitrina:Silo";

    /// <summary>The GPU's name and memory, where the driver's tool could say (<see cref="NvidiaGpu.Query"/>).</summary>
    public NvidiaGpu? GpuModel { get; init; }

    /// <summary>
    /// Reads the roles from <c>Vitrina:Silo:Roles</c>. The GPU is probed only on classify silos whose device setting
    /// allows CUDA; <c>Vitrina:Silo:Gpu</c> overrides the probe (tests, or an operator pinning placement).
    /// </summary>
    public static SiloDescription FromConfiguration(IConfiguration configuration)
    {
        var roles = SiloRoles.Parse(configuration[$"{Section}:Roles"]);
        var device = configuration[$"{ClassifierOptions.Section}:Device"] ?? "auto";
        var gpu = configuration[$"{Section}:Gpu"] is { Length: > 0 } pinned
            ? bool.TryParse(pinned, out var pinnedGpu) ? pinnedGpu : throw new ArgumentException($"{Section}:Gpu is '{pinned}'; use true or false")
            : roles.Contains(SiloRoles.Classify) && !device.Equals("cpu", StringComparison.OrdinalIgnoreCase) && CudaProbe.IsAvailable(out _);
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        var model = gpu ? NvidiaGpu.Query(Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES")) : null;
        return Describe(roles, gpu, model, memory);
    }

    internal static SiloDescription Describe(IReadOnlyList<string> roles, bool gpu, NvidiaGpu? model, long memoryMiB) =>
        new(roles, gpu, (gpu, model) switch
        {
            (true, { } known) => $"cuda ({known})",
            (true, null) => "cuda",
            _ => $"cpu ({Environment.ProcessorCount} cores)",
        }, memoryMiB)
        {
            GpuModel = model,
        };

    public Dictionary<string, string> ToMetadata() => new()
    {
        [SiloMetadataKeys.Roles] = string.Join(',', Roles),
        [SiloMetadataKeys.Gpu] = Gpu ? "true" : "false",
        [SiloMetadataKeys.Device] = Device,
        [SiloMetadataKeys.MemoryMiB] = MemoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [SiloMetadataKeys.GpuName] = GpuModel?.Name ?? "",
        [SiloMetadataKeys.GpuMemoryMiB] = GpuModel?.MemoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
