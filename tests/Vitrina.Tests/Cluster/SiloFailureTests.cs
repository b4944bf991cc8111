using System.Net.Sockets;
using System.Text.Json;
using Vitrina.Accounts;
using Vitrina.Catalogue;
using Vitrina.ClusterHarness;
using Vitrina.Tests.Support;
using Xunit.Abstractions;
using ClusterConnection = Vitrina.Client.Commands.Cluster;

namespace Vitrina.Tests.Cluster;

/// <summary>
/// Three real silo processes over one PostgreSQL database ingest 1,056 photos while silos are killed or restarted; the
/// catalogue must end with exactly one row per photo and every account must have seen every post exactly once.
/// </summary>
[Collection(nameof(ProcessClusterCollection))]
public sealed class SiloFailureTests(ITestOutputHelper output)
{
    private const int Accounts = 24;
    private const int PostsPerAccount = 44;
    private const int Expected = Accounts * PostsPerAccount;

    [Fact]
    public async Task Killing_a_silo_mid_ingest_loses_and_doubles_nothing()
    {
        await using var database = await TestClusterDatabase.Create();
        using var folder = new TempFolder();
        await using var cluster = new ProcessCluster(database.ConnectionString, database.Schema, folder.Path, Settings);
        await cluster.Start(3);
        var timeline = await Onboard(cluster, folder.Path);

        var cli = new Dictionary<string, string>
        {
            [ClusterConnection.ConnectionVariable] = database.ConnectionString,
            [ClusterConnection.ClusterIdVariable] = cluster.ClusterId,
        };
        var ports = cluster.Silos.Select(s => s.SiloPort).Order().ToList();
        Assert.Equal(ports, await ListedSiloPorts(folder.Path, cli, expected: ports));
        await timeline.WaitFor(Expected / 4, TimeSpan.FromMinutes(3));
        var victim = cluster.Silos.Single(s => s.Index == 2);
        // The silo started itself again with one glibc arena (NativeHeap), keeping the process id its harness kills and its name.
        var environment = File.ReadAllText($"/proc/{victim.Pid}/environ").Split('\0');
        Assert.Contains("MALLOC_ARENA_MAX=1", environment);
        // Above what mallopt's int can say (2 GB): a batch freeing more than that at once was handed back to the kernel.
        var trimThreshold = environment.Single(v => v.StartsWith("MALLOC_TRIM_THRESHOLD_=", StringComparison.Ordinal));
        Assert.True(long.Parse(trimThreshold.Split('=')[1]) > int.MaxValue, trimThreshold);
        Assert.Equal("dotnet", File.ReadAllText($"/proc/{victim.Pid}/comm").Trim()); // its name as started, for ps, top and pgrep
        Assert.True(AcceptsDiagnosticTools(victim.Pid), "the restarted silo does not listen on its diagnostic socket (dotnet-counters, -trace, -gcdump)");
        victim.Kill();
        var killedAt = timeline.Now;
        // Mid-ingest, or the test proves nothing: on a fast machine everything could be filed before the kill.
        Assert.True(await timeline.Sample() < Expected, $"all {Expected} rows were filed before silo 2 was killed");
        output.WriteLine($"killed silo 2 (pid {victim.Pid}) at {killedAt.TotalSeconds:F1} s with {timeline.Rows} of {Expected} rows");
        var detection = await cluster.WaitDeclaredDead(victim.SiloPort, TimeSpan.FromMinutes(1));
        output.WriteLine($"declared dead in the membership table {detection.TotalSeconds:F1} s after the kill");
        var alive = ports.Where(p => p != victim.SiloPort).ToList();
        Assert.Equal(alive, await ListedSiloPorts(folder.Path, cli, expected: alive)); // `vitrina silos` drops the dead silo

        await timeline.WaitFor(Expected, TimeSpan.FromMinutes(5));
        output.WriteLine($"all {Expected} rows at {timeline.Now.TotalSeconds:F1} s; {timeline.Describe(killedAt)}");
        await AssertExactCatalogue(cluster);
    }

    /// <summary>Whether the runtime's diagnostic server of process <paramref name="pid"/> takes a connection, as dotnet-counters would make.</summary>
    private static bool AcceptsDiagnosticTools(int pid)
    {
        var socket = Assert.Single(Directory.GetFiles(Path.GetTempPath(), $"dotnet-diagnostic-{pid}-*-socket"));
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            client.Connect(new UnixDomainSocketEndPoint(socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_rolling_restart_under_load_loses_and_doubles_nothing()
    {
        await using var database = await TestClusterDatabase.Create();
        using var folder = new TempFolder();
        await using var cluster = new ProcessCluster(database.ConnectionString, database.Schema, folder.Path, Settings);
        await cluster.Start(3);
        // A quarter of the shops at first, and another quarter just before each silo stops: every stop then meets polls
        // and photos under way (with all shops at once, this machine filed everything during the first stop).
        var groups = Onboarding(cluster, folder.Path, groups: 4);
        await groups(0);
        var timeline = new CatalogueTimeline(cluster);
        await timeline.WaitFor(Expected / 8, TimeSpan.FromMinutes(3));
        var started = timeline.Now;
        foreach (var silo in cluster.Silos.OrderBy(s => s.Index).ToList())
        {
            await groups(silo.Index);
            var before = await timeline.Sample();
            await silo.Stop(TimeSpan.FromSeconds(60));
            Assert.Equal(0, silo.ExitCode);
            var stopped = await timeline.Sample();
            await cluster.StartSilo(silo.Index);
            output.WriteLine($"silo {silo.Index}: {before} rows at its stop, {stopped} once stopped, {await timeline.Sample()} once started again, at {timeline.Now.TotalSeconds:F1} s");
            Assert.True(before < Expected, $"all {Expected} rows were filed before silo {silo.Index} stopped: it stopped with no work left");
        }

        output.WriteLine($"rolling restart of 3 silos took {(timeline.Now - started).TotalSeconds:F1} s ({timeline.Rows} of {Expected} rows by then)");
        await timeline.WaitFor(Expected, TimeSpan.FromMinutes(5));
        output.WriteLine($"all {Expected} rows at {timeline.Now.TotalSeconds:F1} s");
        await AssertExactCatalogue(cluster);
    }

    private static Dictionary<string, string> Settings => new()
    {
        // Reminders re-poll accounts whose poll a lost silo interrupted.
        ["Vitrina:Accounts:PollInterval"] = "00:00:05",
        ["Vitrina:Accounts:ImageConcurrency"] = "4",
    };

    /// <summary>Creates the shops' folders and answers a call that onboards the shops of group 0, 1, ... of <paramref name="groups"/>.</summary>
    private static Func<int, Task> Onboarding(ProcessCluster cluster, string folder, int groups)
    {
        var handles = ShopFolders.Create(Path.Combine(folder, "shops"), Accounts, PostsPerAccount);
        var size = Accounts / groups;
        return async group =>
        {
            var client = await cluster.Client();
            await Task.WhenAll(handles.Skip(group * size).Take(size).Select(h =>
                client.GetGrain<IAccountGrain>(h).Onboard(new AccountSource(AccountSource.Folder, Path.Combine(folder, "shops", h)))));
        };
    }

    private static async Task<CatalogueTimeline> Onboard(ProcessCluster cluster, string folder)
    {
        var handles = ShopFolders.Create(Path.Combine(folder, "shops"), Accounts, PostsPerAccount);
        var client = await cluster.Client();
        await Task.WhenAll(handles.Select(h =>
            client.GetGrain<IAccountGrain>(h).Onboard(new AccountSource(AccountSource.Folder, Path.Combine(folder, "shops", h)))));
        return new CatalogueTimeline(cluster);
    }

    private static async Task AssertExactCatalogue(ProcessCluster cluster)
    {
        var (rows, distinct) = await cluster.CatalogueCounts();
        Assert.Equal(Expected, rows);
        Assert.Equal(Expected, distinct);

        var client = await cluster.Client();
        var summary = await client.GetGrain<ICatalogueGrain>(0).Summary();
        Assert.Equal(Expected, summary.Catalogued + summary.Moderation + summary.Failed);
        Assert.Equal(Accounts, summary.Accounts);
        for (var a = 0; a < Accounts; a++)
        {
            var status = await WithRetry(() => client.GetGrain<IAccountGrain>($"shop_{a:D3}").GetStatus());
            Assert.Equal(PostsPerAccount, status.PostsSeen);
            // Counters move together with the seen set, so a re-submitted post is never counted twice.
            Assert.Equal(PostsPerAccount, status.ImagesSubmitted + status.ImagesFailed);
        }
    }

    /// <summary>
    /// The silo ports `vitrina silos --json` lists, asked again for up to 30 s until they are the expected ones: silos
    /// report every 2 s, and the roster follows its own silo's view of membership.
    /// </summary>
    private static async Task<List<int>> ListedSiloPorts(string folder, IReadOnlyDictionary<string, string> cli, IReadOnlyList<int> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var listed = await CliRunner.Run(folder, cli, "silos", "--json");
            Assert.True(listed.ExitCode == 0, $"exit code {listed.ExitCode}; stdout: {listed.Output}; stderr: {listed.Error}");
            using var silos = JsonDocument.Parse(listed.Output);
            var ports = silos.RootElement.EnumerateArray().Select(s => int.Parse(s.GetProperty("address").GetString()!.Split(':')[^1])).Order().ToList();
            if (ports.SequenceEqual(expected) || DateTime.UtcNow > deadline)
            {
                return ports;
            }

            await Task.Delay(1000);
        }
    }

    /// <summary>The client may still be re-routing away from a silo that just went; give it a few tries.</summary>
    private static async Task<T> WithRetry<T>(Func<Task<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (attempt < 5 && e is OrleansException or TimeoutException)
            {
                await Task.Delay(1000);
            }
        }
    }
}

/// <summary>The process-cluster tests use every core: never alongside each other.</summary>
[CollectionDefinition(nameof(ProcessClusterCollection), DisableParallelization = true)]
public sealed class ProcessClusterCollection;
