using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Vitrina.Grains.Placement;

/// <summary>Advertises the silo's roles and hardware and registers the filters that place grains by them.</summary>
public static class PlacementSetup
{
    public static ISiloBuilder AddVitrinaPlacement(this ISiloBuilder silo, SiloDescription description)
    {
        silo.Services.AddSingleton(description);
        silo.UseSiloMetadata(description.ToMetadata());
        silo.Services.AddPlacementFilter<SiloRoleFilterStrategy, SiloRoleFilterDirector>(ServiceLifetime.Transient);
        silo.Services.AddPlacementFilter<PreferGpuFilterStrategy, PreferGpuFilterDirector>(ServiceLifetime.Transient);
        return silo;
    }
}
