using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Vitrina.Grains.Storage;
using Vitrina.Tests.Support;
using Xunit.Abstractions;

namespace Vitrina.Tests.Storage;

public sealed class ClusterSchemaTests(ITestOutputHelper output)
{
    private const string ServiceId = "vitrina-schema-test";

    [Fact]
    public async Task Empty_database_gets_every_query_and_then_reads_current()
    {
        await using var database = await TestClusterDatabase.Create();
        Assert.Equal(SchemaStatus.Empty, (await ClusterSchema.Inspect(database.ConnectionString)).Status);

        var report = await ClusterSchema.Apply(database.ConnectionString);

        Assert.Equal(SchemaStatus.Empty, report.Before.Status);
        Assert.Equal(["001-bookkeeping.sql", "002-clustering.sql", "003-persistence.sql", "004-reminders.sql"], report.Scripts);
        Assert.Equal(ClusterSchema.QueryKeys.Count, report.QueryCount);
        var state = await ClusterSchema.Inspect(database.ConnectionString);
        Assert.Equal(SchemaStatus.Current, state.Status);
        Assert.Equal(ClusterSchema.Version, state.Version);
    }

    [Fact]
    public async Task Applying_again_and_concurrently_changes_nothing()
    {
        await using var database = await TestClusterDatabase.Create();

        // Three silos starting at once: the advisory lock makes them take turns.
        var reports = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ClusterSchema.Apply(database.ConnectionString)));
        var again = await ClusterSchema.Apply(database.ConnectionString);

        Assert.Single(reports, r => r.Before.Status == SchemaStatus.Empty);
        Assert.Equal(SchemaStatus.Current, again.Before.Status);
        Assert.Equal(ClusterSchema.QueryKeys.Count, await database.Count("SELECT count(*) FROM OrleansQuery"));
        Assert.Equal(ClusterSchema.QueryKeys.Count, await database.Count("SELECT count(DISTINCT QueryKey) FROM OrleansQuery"));
        Assert.Equal(1, await database.Count("SELECT count(*) FROM vitrina_schema_version"));
    }

    [Fact]
    public async Task Foreign_OrleansQuery_is_reported_and_left_alone()
    {
        await using var database = await TestClusterDatabase.Create();
        await database.Execute("CREATE TABLE OrleansQuery (id int PRIMARY KEY, body text)");

        var state = await ClusterSchema.Inspect(database.ConnectionString);
        var refused = await Assert.ThrowsAsync<ClusterSchemaException>(() => ClusterSchema.Apply(database.ConnectionString));

        Assert.Equal(SchemaStatus.Foreign, state.Status);
        Assert.Contains("orleansquery", state.Detail);
        Assert.Contains("empty database", refused.Message);
        Assert.Equal(0, await database.Count("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'vitrina_schema_version'"));
    }

    [Fact]
    public async Task Older_schema_is_upgraded_and_newer_one_refused()
    {
        await using var database = await TestClusterDatabase.Create();
        await ClusterSchema.Apply(database.ConnectionString);

        await database.Execute("UPDATE vitrina_schema_version SET version = 0");
        var older = await ClusterSchema.Inspect(database.ConnectionString);
        var upgrade = await ClusterSchema.Apply(database.ConnectionString);

        Assert.Equal((SchemaStatus.Older, 0), (older.Status, older.Version));
        Assert.Contains("vitrina db migrate", older.Detail);
        Assert.Equal(SchemaStatus.Older, upgrade.Before.Status);
        Assert.Equal(SchemaStatus.Current, (await ClusterSchema.Inspect(database.ConnectionString)).Status);

        await database.Execute("UPDATE vitrina_schema_version SET version = 99");
        var newer = await ClusterSchema.Inspect(database.ConnectionString);
        var refused = await Assert.ThrowsAsync<ClusterSchemaException>(() => ClusterSchema.Apply(database.ConnectionString));

        Assert.Equal((SchemaStatus.Newer, 99), (newer.Status, newer.Version));
        Assert.Contains("99", refused.Message);
        Assert.Equal(99, await database.Count("SELECT version FROM vitrina_schema_version"));
    }

    [Fact]
    public async Task Wrong_password_and_closed_port_name_the_server_and_the_cause()
    {
        var target = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString);
        var wrongPassword = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Password = "not-the-password" };
        var closedPort = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Port = FreePort(), Timeout = 3 };

        var login = await Assert.ThrowsAsync<ClusterSchemaException>(() => ClusterSchema.Inspect(wrongPassword.ConnectionString));
        var unreachable = await Assert.ThrowsAsync<ClusterSchemaException>(() => ClusterSchema.Apply(closedPort.ConnectionString));

        Assert.Contains($"{target.Host}:{target.Port}", login.Message);
        Assert.Contains($"'{target.Database}'", login.Message);
        Assert.Contains("password", login.Message);
        Assert.DoesNotContain("not-the-password", login.Message);
        Assert.Contains($"{target.Host}:{closedPort.Port}", unreachable.Message);
        Assert.Contains("cannot be reached", unreachable.Message);
    }

    [Fact]
    public async Task Real_silos_keep_membership_state_and_reminders_in_our_schema()
    {
        var clock = Stopwatch.StartNew();
        await using var database = await TestClusterDatabase.Create();
        await ClusterSchema.Apply(database.ConnectionString);
        var clusterId = $"schema-test-{Guid.NewGuid():N}";

        using (var silo = await StartSilo(database.ConnectionString, clusterId))
        using (var client = await StartClient(database.ConnectionString, clusterId))
        {
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var named = grains.GetGrain<IKeepsakeGrain>("k-1");
            await named.Keep("first");
            await named.Keep("second");
            await grains.GetGrain<IKeepsakeGrain>("12345").Keep("all digits");
            var hex = grains.GetGrain<IKeepsakeGrain>("abc");
            await hex.Keep("cleared soon");
            await hex.Forget();
            await hex.Keep("after clear");
            await named.Remind("nudge");

            Assert.Equal("second", await named.Read());
            Assert.True(await named.HasReminder("nudge"));
            Assert.Equal(1, await database.Count($"SELECT count(*) FROM orleans_cluster_silo WHERE cluster_id = '{clusterId}' AND status = 3"));
            Assert.Equal(3, await database.Count("SELECT count(*) FROM orleans_grain_state WHERE payload IS NOT NULL"));
            Assert.Equal(1, await database.Count("SELECT count(*) FROM orleans_reminder"));
            output.WriteLine($"first silo served everything at {clock.Elapsed.TotalSeconds:F1} s");
            await client.StopAsync();
            await silo.StopAsync();
        }

        using (var silo = await StartSilo(database.ConnectionString, clusterId))
        using (var client = await StartClient(database.ConnectionString, clusterId))
        {
            var grains = client.Services.GetRequiredService<IClusterClient>();
            Assert.Equal("second", await grains.GetGrain<IKeepsakeGrain>("k-1").Read());
            Assert.Equal("all digits", await grains.GetGrain<IKeepsakeGrain>("12345").Read());
            Assert.Equal("after clear", await grains.GetGrain<IKeepsakeGrain>("abc").Read());
            Assert.True(await grains.GetGrain<IKeepsakeGrain>("k-1").HasReminder("nudge"));

            // The first silo left a Dead row; Orleans 10's per-row clean-up removes exactly that one.
            var members = $"SELECT count(*) FROM orleans_cluster_silo WHERE cluster_id = '{clusterId}'";
            Assert.Equal(2, await database.Count(members));
            await silo.Services.GetRequiredService<IMembershipTable>().CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.Equal(1, await database.Count(members));
            Assert.Equal(1, await database.Count(members + " AND status = 3"));
            await client.StopAsync();
            await silo.StopAsync();
        }
        output.WriteLine($"two silos, one after the other: {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<IHost> StartSilo(string connectionString, string clusterId)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo => silo
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, ServiceId))
                .ConfigureEndpoints(IPAddress.Loopback, FreePort(), FreePort())
                .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString))
                .AddAdoNetGrainStorage(KeepsakeGrain.Storage, o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString))
                .UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString)))
            .Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<IHost> StartClient(string connectionString, string clusterId)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleansClient(client => client
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, ServiceId))
                .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString)))
            .Build();
        await host.StartAsync();
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
