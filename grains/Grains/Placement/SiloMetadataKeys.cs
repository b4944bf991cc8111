namespace Vitrina.Grains.Placement;

/// <summary>What each silo advertises about itself in Orleans silo metadata, read by the placement filters.</summary>
public static class SiloMetadataKeys
{
    /// <summary>Comma-separated <see cref="SiloRoles"/>.</summary>
    public const string Roles = "vitrina.roles";

    /// <summary><c>true</c> when the silo classifies on a CUDA device.</summary>
    public const string Gpu = "gpu";

    /// <summary>
    /// The device the silo's classifier runs on: <c>cuda (NVIDIA H100 80GB HBM3, 81559 MiB)</c>, <c>cuda</c> where the
    /// driver's tool could not say, or <c>cpu (16 cores)</c> with its core count.
    /// </summary>
    public const string Device = "device";

    /// <summary>Host memory in MiB.</summary>
    public const string MemoryMiB = "memory-mib";

    /// <summary>The GPU's name as its driver gives it; empty on CPU silos and where the driver's tool could not say.</summary>
    public const string GpuName = "gpu-name";

    /// <summary>The GPU's memory in MiB; empty where <see cref="GpuName"/> is.</summary>
    public const string GpuMemoryMiB = "gpu-memory-mib";
}
