using System.Text.Json;
using Vitrina.ClusterHarness;
using ClusterConnection = Vitrina.Client.Commands.Cluster;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cli;

/// <summary>The accounts commands against a real single-node silo process.</summary>
[Collection(nameof(Cluster.ProcessClusterCollection))]
public sealed class AccountsCliTests
{
    /// <summary>A single-node silo process on its own ports, its model store in <paramref name="work"/>'s <c>models</c> folder.</summary>
    internal static async Task<SiloProcess> StartSilo(TempFolder work, int gateway)
    {
        var silo = SiloProcess.Start(1, work.Combine("silo"), new Dictionary<string, string>
        {
            ["Vitrina:Cluster:SiloPort"] = FreePorts.Next().ToString(),
            ["Vitrina:Cluster:GatewayPort"] = gateway.ToString(),
            ["Vitrina:Classifier:ModelStore"] = work.Combine("models"),
        }, FreePorts.Next());
        try
        {
            await silo.WaitReady(TimeSpan.FromMinutes(1));
            return silo;
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Import_onboards_valid_lines_reports_the_rest_and_is_safe_to_repeat()
    {
        using var work = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(work.Combine("models")), "untrained");
        foreach (var shop in new[] { "shop_a", "shop_b", "shop_c, autumn" })
        {
            Directory.CreateDirectory(work.Combine("shops", shop));
        }

        File.WriteAllLines(work.Combine("accounts.csv"),
        [
            "handle,source,location",
            $"shop_a,folder,{work.Combine("shops", "shop_a")}",
            $"@shop_b,folder,{work.Combine("shops", "shop_b")}",
            "not a handle!",
            $"shop_a,folder,{work.Combine("shops", "shop_a")}",
            $"shop_c,folder,\"{work.Combine("shops", "shop_c, autumn")}\"", // a path with a comma, quoted as spreadsheets write it
            "shop_d,folder,",
        ]);
        var gateway = FreePorts.Next();
        await using var silo = await StartSilo(work, gateway);
        var port = gateway.ToString();

        var first = await CliRunner.Run(work.Path, "accounts", "import", "accounts.csv", "--gateway", port, "--json");
        Assert.Equal(1, first.ExitCode); // one invalid line
        using (var report = JsonDocument.Parse(first.Output))
        {
            Assert.Equal(3, report.RootElement.GetProperty("onboarded").GetInt32());
            Assert.Equal(1, report.RootElement.GetProperty("duplicates").GetInt32());
            var problems = report.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
            Assert.Contains(problems, p => p.StartsWith("line 4:", StringComparison.Ordinal) && p.Contains("not a valid handle"));
            Assert.Contains(problems, p => p.StartsWith("line 5:", StringComparison.Ordinal) && p.Contains("repeats"));
            Assert.Contains(problems, p => p.StartsWith("line 7:", StringComparison.Ordinal) && p.Contains("not a folder path"));
        }

        var shopC = await CliRunner.Run(work.Path, "accounts", "status", "shop_c", "--gateway", port, "--json");
        Assert.Contains("shop_c, autumn", shopC.Output);

        var again = await CliRunner.Run(work.Path, "accounts", "import", "accounts.csv", "--gateway", port, "--json");
        using (var report = JsonDocument.Parse(again.Output))
        {
            Assert.Equal(0, report.RootElement.GetProperty("onboarded").GetInt32());
            Assert.Equal(3, report.RootElement.GetProperty("alreadyOnboarded").GetInt32());
        }

        // Instagram usernames ignore case: SHOP_A is shop_a, not a second account filing the same photos again.
        Assert.Equal(0, (await CliRunner.Run(work.Path, "accounts", "add", "SHOP_A", "--folder", work.Combine("shops", "shop_a"), "--gateway", port)).ExitCode);
        var listed = (await CliRunner.Run(work.Path, "accounts", "list", "--gateway", port)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["shop_a", "shop_b", "shop_c"], listed);
        Assert.Equal(0, (await CliRunner.Run(work.Path, "accounts", "pause", "Shop_B", "--gateway", port)).ExitCode);
        var unknown = await CliRunner.Run(work.Path, "accounts", "pause", "shop_z", "--gateway", port);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("shop_z is not onboarded", unknown.Error);
        var removed = await CliRunner.Run(work.Path, "accounts", "remove", "shop_c", "--withdraw-photos", "--gateway", port);
        Assert.Equal(0, removed.ExitCode);
        Assert.Contains("0 catalogue photos withdrawn", removed.Output);

        // An Instagram account on a silo without an access token is parked by its first poll; once the token is
        // fixed, one command brings back every parked account.
        Assert.Equal(0, (await CliRunner.Run(work.Path, "accounts", "add", "shop_ig", "--gateway", port)).ExitCode);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!(await CliRunner.Run(work.Path, "accounts", "status", "shop_ig", "--gateway", port, "--json")).Output.Contains("\"Parked\"")
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        // The registry knows each account's state without asking every account.
        var parkedList = await CliRunner.Run(work.Path, "accounts", "list", "--state", "Parked", "--gateway", port);
        Assert.Equal(["shop_ig"], parkedList.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["shop_b"], (await CliRunner.Run(work.Path, "accounts", "list", "--state", "Paused", "--gateway", port)).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(2, (await CliRunner.Run(work.Path, "accounts", "resume", "--gateway", port)).ExitCode); // neither handle nor --parked
        var resumed = await CliRunner.Run(work.Path, "accounts", "resume", "--parked", "--gateway", port);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("resumed 1 parked account(s): shop_ig", resumed.Output);
        Assert.Equal(0, (await CliRunner.Run(work.Path, "accounts", "remove", "shop_ig", "--gateway", port)).ExitCode);
        var status = await CliRunner.Run(work.Path, "accounts", "status", "--gateway", port, "--json");
        using var statuses = JsonDocument.Parse(status.Output);
        var states = statuses.RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("handle").GetString()!, s => s.GetProperty("state").GetString());
        Assert.Equal(["shop_a", "shop_b"], states.Keys.Order());
        Assert.Equal("Active", states["shop_a"]);
        Assert.Equal("Paused", states["shop_b"]);
    }

    [Fact]
    public async Task Import_reports_the_accounts_whose_state_the_database_refused_and_onboards_them_when_imported_again()
    {
        await using var database = await TestClusterDatabase.Create();
        using var work = new TempFolder();
        await using var cluster = new ProcessCluster(database.ConnectionString, database.Schema, work.Path);
        var silo = await cluster.StartSilo(1);
        var handles = new[] { "shop_a", "refused_b", "shop_c", "refused_d" };
        File.WriteAllLines(work.Combine("accounts.csv"), handles.Select(h =>
        {
            Directory.CreateDirectory(work.Combine("shops", h));
            return $"{h},folder,{work.Combine("shops", h)}";
        }));
        // A real storage failure, not a mock: PostgreSQL itself refuses to store two accounts' grain state until the trigger goes.
        await database.Execute("""
            CREATE FUNCTION refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'test: write of % refused', NEW.grain_key_text; END $$;
            CREATE TRIGGER refuse_write BEFORE INSERT ON orleans_grain_state
                FOR EACH ROW WHEN (NEW.grain_key_text LIKE 'refused%') EXECUTE FUNCTION refuse_write();
            """);
        var cli = new Dictionary<string, string>
        {
            [ClusterConnection.ConnectionVariable] = database.ConnectionString,
            [ClusterConnection.ClusterIdVariable] = cluster.ClusterId,
        };

        var first = await CliRunner.Run(work.Path, cli, "accounts", "import", "accounts.csv", "--json");
        Assert.True(first.ExitCode == 1 && first.Output.StartsWith('{'), $"exit code {first.ExitCode}; stdout: {first.Output}; stderr: {first.Error}");
        using (var report = JsonDocument.Parse(first.Output))
        {
            Assert.Equal(2, report.RootElement.GetProperty("onboarded").GetInt32());
            Assert.Equal(2, report.RootElement.GetProperty("failed").GetInt32());
            var problems = report.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
            Assert.Equal(["refused_b", "refused_d"], problems.Select(p => p.Split(':')[0]).Order());
            // One line each, naming the database's own words (Orleans puts the cause's stack trace into its message).
            Assert.All(problems, p => Assert.DoesNotContain('\n', p));
            Assert.Contains(problems, p => p.Contains("onboarding failed") && p.Contains("PostgresException: P0001: test: write of refused_b refused")
                && p.EndsWith("import the file again to retry", StringComparison.Ordinal));
        }

        Assert.True(silo.Running, "the silo must survive a grain whose state cannot be written");
        await database.Execute("DROP TRIGGER refuse_write ON orleans_grain_state");
        var again = await CliRunner.Run(work.Path, cli, "accounts", "import", "accounts.csv", "--json");
        Assert.True(again.ExitCode == 0, $"exit code {again.ExitCode}; stdout: {again.Output}; stderr: {again.Error}");
        using (var report = JsonDocument.Parse(again.Output))
        {
            Assert.Equal(2, report.RootElement.GetProperty("onboarded").GetInt32());
            Assert.Equal(2, report.RootElement.GetProperty("alreadyOnboarded").GetInt32());
        }

        var status = await CliRunner.Run(work.Path, cli, "accounts", "status", "--json");
        using var statuses = JsonDocument.Parse(status.Output);
        var states = statuses.RootElement.EnumerateArray().ToDictionary(s => s.GetProperty("handle").GetString()!, s => s.GetProperty("state").GetString());
        Assert.Equal(handles.Order(), states.Keys.Order());
        Assert.All(states.Values, s => Assert.Equal("Active", s));

        // Instagram accounts on a silo without an access token are parked by their first poll; resuming them all goes
        // on past the one whose write the database refuses, and names it.
        foreach (var handle in new[] { "ig_e", "refused_ig_f" })
        {
            Assert.Equal(0, (await CliRunner.Run(work.Path, cli, "accounts", "add", handle)).ExitCode);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while ((await CliRunner.Run(work.Path, cli, "accounts", "status", "--json")).Output.Split("\"Parked\"").Length < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        await database.Execute("""
            CREATE TRIGGER refuse_update BEFORE UPDATE ON orleans_grain_state
                FOR EACH ROW WHEN (NEW.grain_key_text LIKE 'refused%') EXECUTE FUNCTION refuse_write();
            """);
        var resume = await CliRunner.Run(work.Path, cli, "accounts", "resume", "--parked");
        Assert.Equal(1, resume.ExitCode);
        Assert.Contains("resumed 1 parked account(s): ig_e; 1 failed", resume.Output);
        Assert.StartsWith("refused_ig_f: resume failed (", resume.Error);
        Assert.Contains("write of refused_ig_f refused", resume.Error);
    }
}
