using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;

namespace Vitrina.ClusterHarness;

/// <summary>
/// A cluster of real silo processes over one PostgreSQL database (membership, grain state, reminders and catalogue),
/// with an Orleans client that finds gateways through the same database, and the catalogue read back by SQL.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly string connectionString;
    private readonly string catalogueSchema;
    private readonly string workFolder;
    private readonly IReadOnlyDictionary<string, string> extraSettings;
    private readonly Dictionary<int, SiloProcess> silos = [];
    private IHost? clientHost;

    /// <param name="catalogueSchema">The schema the silos keep the catalogue table in (Vitrina:Catalogue:Schema).</param>
    public ProcessCluster(string connectionString, string catalogueSchema, string workFolder, IReadOnlyDictionary<string, string>? settings = null)
    {
        this.connectionString = connectionString;
        this.catalogueSchema = catalogueSchema;
        this.workFolder = workFolder;
        extraSettings = settings ?? new Dictionary<string, string>();
    }

    public string ClusterId { get; } = $"test-{Guid.NewGuid():N}"[..16];

    public IReadOnlyCollection<SiloProcess> Silos => silos.Values;

    /// <summary>
    /// Membership tuned to declare a dead silo within a few seconds (defaults take about a minute): probes every
    /// second, dead after 2 missed probes, and the reminder period short enough to resume interrupted polls quickly.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FastFailureDetection { get; } = new Dictionary<string, string>
    {
        ["Vitrina:Cluster:Membership:ProbeTimeout"] = "00:00:01",
        ["Vitrina:Cluster:Membership:NumMissedProbesLimit"] = "2",
        ["Vitrina:Cluster:Membership:NumVotesForDeathDeclaration"] = "1",
        ["Vitrina:Cluster:Membership:TableRefreshTimeout"] = "00:00:02",
        ["Vitrina:Cluster:Membership:IAmAliveTablePublishTimeout"] = "00:00:05",
        ["Vitrina:Cluster:Membership:DeathVoteExpirationTimeout"] = "00:00:10",
    };

    public async Task<SiloProcess> StartSilo(int index)
    {
        var settings = new Dictionary<string, string>(FastFailureDetection)
        {
            ["Vitrina:Cluster:Mode"] = "postgres",
            ["Vitrina:Cluster:ConnectionString"] = connectionString,
            ["Vitrina:Cluster:ClusterId"] = ClusterId,
            ["Vitrina:Catalogue:Schema"] = catalogueSchema,
            ["Vitrina:Cluster:SiloPort"] = FreePorts.Next().ToString(),
            ["Vitrina:Cluster:GatewayPort"] = FreePorts.Next().ToString(),
            ["Logging:LogLevel:Orleans"] = "Warning",
        };
        foreach (var (key, value) in extraSettings)
        {
            settings[key] = value;
        }

        var silo = SiloProcess.Start(index, Path.Combine(workFolder, $"silo-{index}"), settings, FreePorts.Next());
        silo.SiloPort = int.Parse(settings["Vitrina:Cluster:SiloPort"]);
        silos[index] = silo;
        await silo.WaitReady(TimeSpan.FromMinutes(2));
        return silo;
    }

    public async Task Start(int count)
    {
        // One at a time: the first creates the schema; later ones join a running cluster.
        for (var i = 1; i <= count; i++)
        {
            await StartSilo(i);
        }
    }

    public async Task<IClusterClient> Client()
    {
        if (clientHost is null)
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, "vitrina"));
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString));
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2));
                client.Services.AddVitrinaRemoteExceptions();
            });
            clientHost = builder.Build();
            await clientHost.StartAsync();
        }

        return clientHost.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>Catalogue rows and distinct image ids, straight from the table.</summary>
    public async Task<(long Rows, long DistinctImages)> CatalogueCounts()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var table = $"\"{catalogueSchema}\".items";
        await using var exists = new NpgsqlCommand($"SELECT to_regclass('{table}') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync())!)
        {
            return (0, 0);
        }

        await using var command = new NpgsqlCommand($"SELECT count(*), count(DISTINCT image_id) FROM {table}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Waits until the membership table marks the silo on <paramref name="siloPort"/> dead (status 6) and says how long it took.</summary>
    public async Task<TimeSpan> WaitDeclaredDead(int siloPort, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        while (clock.Elapsed < timeout)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM orleans_cluster_silo WHERE cluster_id = @cluster AND port = @port AND status = 6", connection);
            command.Parameters.AddWithValue("cluster", ClusterId);
            command.Parameters.AddWithValue("port", siloPort);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the silo on port {siloPort} was not declared dead within {timeout}");
    }

    public async ValueTask DisposeAsync()
    {
        if (clientHost is not null)
        {
            try
            {
                await clientHost.StopAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException)
            {
                // The cluster may be gone already.
            }

            clientHost.Dispose();
        }

        foreach (var silo in silos.Values)
        {
            await silo.DisposeAsync();
        }
    }
}
