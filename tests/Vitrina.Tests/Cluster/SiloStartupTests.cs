using Npgsql;
using Vitrina.ClusterHarness;
using Vitrina.Tests.Support;

namespace Vitrina.Tests.Cluster;

/// <summary>A silo process pointed at a database it cannot use, or set up wrongly, says what is wrong and exits with code 2.</summary>
[Collection(nameof(ProcessClusterCollection))]
public sealed class SiloStartupTests
{
    private static async Task<(int ExitCode, string Log)> StartAndWaitForExit(
        string connectionString, string folder, Dictionary<string, string>? extra = null, int? httpPort = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Vitrina:Cluster:Mode"] = "postgres",
            ["Vitrina:Cluster:ConnectionString"] = connectionString,
            ["Vitrina:Cluster:SiloPort"] = FreePorts.Next().ToString(),
            ["Vitrina:Cluster:GatewayPort"] = FreePorts.Next().ToString(),
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        await using var silo = SiloProcess.Start(1, folder, settings, httpPort ?? FreePorts.Next());
        var exited = await silo.WaitForExit(TimeSpan.FromSeconds(60));
        Assert.True(exited, $"the silo kept running: {silo.Tail()}");
        return (silo.ExitCode, silo.Tail());
    }

    [Fact]
    public async Task A_wrong_password_names_the_server_and_exits_2()
    {
        using var folder = new TempFolder();
        var wrong = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Password = "not-the-password" }.ConnectionString;

        var (code, log) = await StartAndWaitForExit(wrong, folder.Path);

        Assert.Equal(2, code);
        Assert.Contains("127.0.0.1", log);
        Assert.Contains("password", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not-the-password", log);
    }

    [Fact]
    public async Task An_unreachable_server_is_named_and_exits_2()
    {
        using var folder = new TempFolder();
        var nowhere = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { Port = FreePorts.Next(), Timeout = 3 }.ConnectionString;

        var (code, log) = await StartAndWaitForExit(nowhere, folder.Path);

        Assert.Equal(2, code);
        Assert.Contains("127.0.0.1", log);
    }

    [Theory]
    [InlineData("Vitrina:Classifier:Precision", "fp8", "Vitrina:Classifier:Precision must be auto, fp32, fp16 or bf16, not 'fp8'")]
    [InlineData("Vitrina:Instagram:PageSize", "500", "Vitrina:Instagram:PageSize must be 1-100, not 500")] // not at the first poll
    [InlineData("Vitrina:Training:Interval", "-00:10:00", "Vitrina:Training:Interval must be positive")]
    [InlineData("Vitrina:Cluster:MaxConnections", "1", "Vitrina:Cluster:MaxConnections must be at least 2")]
    public async Task A_setting_it_cannot_use_is_named_and_exits_2(string key, string value, string message)
    {
        using var folder = new TempFolder();

        var (code, log) = await StartAndWaitForExit(TestDatabase.ConnectionString, folder.Path, new() { [key] = value });

        Assert.Equal(2, code);
        Assert.Contains(message, log);
    }

    [Fact]
    public async Task A_foreign_orleans_schema_is_refused_untouched()
    {
        using var folder = new TempFolder();
        await using var database = await TestClusterDatabase.Create();
        await database.Execute("CREATE TABLE OrleansQuery (id int PRIMARY KEY, body text)");

        var (code, log) = await StartAndWaitForExit(database.ConnectionString, folder.Path);

        Assert.Equal(2, code);
        Assert.Contains("orleansquery", log, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await database.Count("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'vitrina_schema_version'"));
    }

    [Theory]
    [InlineData("Vitrina:Accounts:PollInterval", "5m", "'5m' at 'Vitrina:Accounts:PollInterval'")]
    [InlineData("Vitrina:Silo:ShutdownTimeout", "45s", "'45s' at 'Vitrina:Silo:ShutdownTimeout'")]
    [InlineData("Vitrina:Cluster:GatewayPort", "70000", "Vitrina:Cluster:GatewayPort is 70000")]
    [InlineData("Vitrina:Http:TrustedProxies", "proxy.local", "'proxy.local' is neither an IP address nor a network")]
    [InlineData("Vitrina:Catalogue:MaxConnections", "1", "Vitrina:Catalogue:MaxConnections must be at least 2")]
    public async Task A_setting_written_the_wrong_way_is_named_and_exits_2(string setting, string value, string said)
    {
        using var folder = new TempFolder();

        var (code, log) = await StartAndWaitForExit(TestDatabase.ConnectionString, folder.Path, new() { [setting] = value });

        Assert.Equal(2, code);
        Assert.Contains(said, log);
        Assert.DoesNotContain("   at ", log); // a line to act on, not a stack trace
    }

    [Fact]
    public async Task An_http_port_in_use_is_named_and_exits_2()
    {
        using var folder = new TempFolder();
        var port = FreePorts.Next();
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
        taken.Start();

        var (code, log) = await StartAndWaitForExit(TestDatabase.ConnectionString, folder.Path, httpPort: port);

        Assert.Equal(2, code);
        Assert.Contains($"start-up failed: Failed to bind to address http://127.0.0.1:{port}", log);
    }
}
