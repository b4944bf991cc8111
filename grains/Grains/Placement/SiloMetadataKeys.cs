namespace Vitrina.Grains.Placement;

/// <summary>What each silo advertises about itself in Orleans silo metadata, read by the placement filters.</summary>
public static class SiloMetadataKeys
{
    /// <summary>Comma-separated <see cref="SiloRoles"/>.</summary>
    public const string Roles = "vitrina.roles";

    /// <summary><c>true</c> when the silo classifies on a CUDA device.</summary>
    public const string Gpu = "gpu";

    /// <summary>The device the silo's classifier runs on: <c>cuda</c>, or <c>cpu (16 cores)</c> with its core count.</summary>
    public const string Device = "device";

    /// <summary>Host memory in MiB (GPU memory is not exposed by TorchSharp's API).</summary>
    public const string MemoryMiB = "memory-mib";
}
