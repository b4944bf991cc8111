using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Vitrina.Grains.Hosting;
using Vitrina.Grains.Placement;

namespace Vitrina.Benchmarks;

/// <summary>One in-process silo with every role and in-memory grain state, configured like the single-node silo.</summary>
public static class BenchCluster
{
    public static async Task<InProcessTestCluster> Start(IReadOnlyDictionary<string, string?> configuration)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(configuration);
            host.Services.AddVitrina(host.Configuration, SiloRoles.All);
        });
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseVitrinaInMemoryState();
            silo.AddVitrinaPlacement(new SiloDescription(SiloRoles.All, Gpu: false, "cpu", MemoryMiB: 0));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
