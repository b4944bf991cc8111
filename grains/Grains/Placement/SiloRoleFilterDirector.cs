using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace Vitrina.Grains.Placement;

/// <summary>Keeps the silos whose advertised roles include the grain type's role.</summary>
public sealed class SiloRoleFilterDirector(ISiloMetadataCache metadata) : IPlacementFilterDirector
{
    public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var role = ((SiloRoleFilterStrategy)filterStrategy).Role;
        var candidates = silos.ToList();
        var matching = candidates.Where(silo => HasRole(metadata, silo, role)).ToList();
        if (matching.Count == 0)
        {
            // Orleans would fail with a generic "no compatible silo"; say which role is missing instead.
            throw new OrleansException(
                $"cannot place {target.GrainIdentity}: none of the {candidates.Count} silo(s) runs the '{role}' role (set Vitrina:Silo:Roles on at least one)");
        }

        return matching;
    }

    public static bool HasRole(ISiloMetadataCache metadata, SiloAddress silo, string role) =>
        metadata.GetSiloMetadata(silo).Metadata.TryGetValue(SiloMetadataKeys.Roles, out var roles)
        && roles.Split(',').Contains(role, StringComparer.Ordinal);
}
