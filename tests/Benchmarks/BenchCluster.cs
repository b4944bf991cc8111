using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Hosting;
using Vitrina.Grains.Placement;

namespace Vitrina.Benchmarks;

/// <summary>One in-process silo with every role and in-memory grain state, configured like the single-node silo.</summary>
public static class BenchCluster
{
    /// <param name="instantClassifier">Whether <see cref="InstantClassifierGrain"/> answers in place of the model.</param>
    public static async Task<InProcessTestCluster> Start(IReadOnlyDictionary<string, string?> configuration, bool instantClassifier = false)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(configuration);
            host.Services.AddVitrina(host.Configuration, SiloRoles.All);
            // Two classes implement the classifier interface here: the silo gets one of them.
            host.Services.PostConfigure<GrainTypeOptions>(o => o.Classes.Remove(instantClassifier ? typeof(ClassifierGrain) : typeof(InstantClassifierGrain)));
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
