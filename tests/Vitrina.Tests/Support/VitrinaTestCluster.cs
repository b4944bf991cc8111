using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Hosting;

namespace Vitrina.Tests.Support;

/// <summary>A real in-process Orleans silo with Vitrina's grains, its catalogue in a private PostgreSQL schema.</summary>
public sealed class VitrinaTestCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster cluster;

    private VitrinaTestCluster(InProcessTestCluster cluster) => this.cluster = cluster;

    public IClusterClient Client => cluster.Client;

    public ModelHost ModelHost(int silo = 0) =>
        cluster.GetSiloServiceProvider(cluster.Silos[silo].SiloAddress).GetRequiredService<ModelHost>();

    public static async Task<VitrinaTestCluster> Start(TestDatabase database, string modelStore, IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Vitrina:Catalogue:ConnectionString"] = TestDatabase.ConnectionString,
            ["Vitrina:Catalogue:Schema"] = database.Schema,
            ["Vitrina:Classifier:ModelStore"] = modelStore,
            ["Vitrina:Accounts:PollInterval"] = "01:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Configuration.AddInMemoryCollection(configuration);
            host.Services.AddVitrina(host.Configuration);
        });
        builder.ConfigureSilo((_, silo) => silo.AddMemoryGrainStorage("vitrina"));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new VitrinaTestCluster(cluster);
    }

    public async ValueTask DisposeAsync()
    {
        await cluster.StopSilosAsync();
        await cluster.DisposeAsync();
    }
}
