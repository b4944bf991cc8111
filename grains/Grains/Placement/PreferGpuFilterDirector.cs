using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Vitrina.Grains.Placement;

/// <summary>Keeps only the GPU silos when at least one candidate has a GPU; otherwise keeps every candidate.</summary>
public sealed class PreferGpuFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos.ToList();
        var gpu = candidates.Where(silo => HasGpu(metadata, silo)).ToList();
        return gpu.Count > 0 ? gpu : candidates;
    }

    public static bool HasGpu(ISiloMetadataCache metadata, SiloAddress silo) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloMetadataKeys.Gpu, out var value)
        && bool.TryParse(value, out var gpu) && gpu;
}
