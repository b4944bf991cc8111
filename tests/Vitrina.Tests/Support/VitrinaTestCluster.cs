using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.TestingHost;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Hosting;
using Vitrina.Grains.Placement;

namespace Vitrina.Tests.Support;

/// <summary>
/// Real in-process Orleans silos with Vitrina's grains, their catalogue in a private PostgreSQL schema. By default one
/// silo with every role; pass <c>silos</c> for a heterogeneous cluster (roles, GPU) to exercise placement.
/// </summary>
public sealed class VitrinaTestCluster : IAsyncDisposable
{
    private readonly InProcessTestCluster cluster;

    private VitrinaTestCluster(InProcessTestCluster cluster) => this.cluster = cluster;

    public IClusterClient Client => cluster.Client;

    public ModelHost ModelHost(int silo = 0) => SiloServices(silo).GetRequiredService<ModelHost>();

    public IServiceProvider SiloServices(int silo = 0) => cluster.GetSiloServiceProvider(cluster.Silos[silo].SiloAddress);

    /// <summary>An account grain's state as its storage holds it, with the ETag that changes on every write.</summary>
    public async Task<Orleans.GrainState<Vitrina.Grains.Accounts.AccountGrainState>> StoredAccount(Vitrina.Accounts.IAccountGrain account)
    {
        var storage = SiloServices().GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(Vitrina.Grains.Hosting.GrainStateStorage.Name);
        var stored = new Orleans.GrainState<Vitrina.Grains.Accounts.AccountGrainState>();
        await storage.ReadStateAsync("account", account.GetGrainId(), stored);
        return stored;
    }

    /// <param name="responseTimeout">How long a grain call waits for its answer (Orleans' default otherwise).</param>
    public static async Task<VitrinaTestCluster> Start(
        TestDatabase database, string modelStore, IDictionary<string, string?>? settings = null, IReadOnlyList<SiloDescription>? silos = null,
        TimeSpan? responseTimeout = null, int? startNow = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Vitrina:Catalogue:ConnectionString"] = TestDatabase.ConnectionString,
            ["Vitrina:Catalogue:Schema"] = database.Schema,
            ["Vitrina:Classifier:ModelStore"] = modelStore,
            ["Vitrina:Accounts:PollInterval"] = "01:00:00",
            ["Vitrina:Images:AllowPrivateAddresses"] = "true", // the fake CDN serves photos on loopback
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        silos ??= [new SiloDescription(SiloRoles.All, Gpu: false, "cpu", MemoryMiB: 0)];
        SiloDescription Of(InProcessTestSiloSpecificOptions options) => silos[int.Parse(options.SiloName.Split('_')[^1])];

        var builder = new InProcessTestClusterBuilder((short)(startNow ?? silos.Count)); // the rest join with StartNextSilo
        builder.ConfigureSiloHost((options, host) =>
        {
            host.Configuration.AddInMemoryCollection(configuration);
            host.Services.AddVitrina(host.Configuration, Of(options).Roles);
        });
        builder.ConfigureSilo((options, silo) =>
        {
            silo.UseVitrinaInMemoryState();
            silo.AddVitrinaPlacement(Of(options));
            if (responseTimeout is { } timeout)
            {
                silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = timeout);
            }
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new VitrinaTestCluster(cluster);
    }

    /// <summary>Starts the next of the silos described but not started (Start's startNow), as a deployment scaling out does.</summary>
    public Task StartNextSilo() => cluster.StartAdditionalSiloAsync();

    /// <summary>Stops one silo gracefully, as a deployment scaling in does.</summary>
    public Task StopSilo(int silo) => cluster.StopSiloAsync(cluster.Silos[silo]);

    /// <summary>Changes a setting on every silo as a configuration reload does: options monitors see the new value.</summary>
    public void Reconfigure(string key, string? value)
    {
        foreach (var silo in cluster.Silos)
        {
            var configuration = (IConfigurationRoot)cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<IConfiguration>();
            configuration[key] = value;
            configuration.Reload();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await cluster.StopSilosAsync();
        await cluster.DisposeAsync();
    }
}
