using Npgsql;
using Vitrina.Accounts;
using Vitrina.ClusterHarness;

namespace Vitrina.Benchmarks;

/// <summary>
/// Throughput of a real multi-process cluster (PostgreSQL membership, state, reminders and catalogue) with 1, 2 and 3
/// silos over the same photos: the cost of distribution on one machine, not a scaling curve (the silos share its cores).
/// </summary>
public static class ClusterBench
{
    public static async Task Run(int images, string connectionString)
    {
        const int accounts = 12;
        var posts = Math.Max(1, images / accounts);
        Console.WriteLine();
        Console.WriteLine($"### Cluster: {accounts * posts} photos (96 px synthetic JPEGs), {accounts} accounts, silos as separate processes on this machine");
        Console.WriteLine();
        Console.WriteLine("| silos | start-up (s) | ingest (s) | images/s | images/s per core |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var silos in new[] { 1, 2, 3 })
        {
            var work = Directory.CreateTempSubdirectory("vitrina-cluster-bench-").FullName;
            var schema = $"bench_{Guid.NewGuid():N}";
            var scoped = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
            await Execute(connectionString, $"CREATE SCHEMA \"{schema}\"");
            try
            {
                var handles = ShopFolders.Create(Path.Combine(work, "shops"), accounts, posts);
                await using var cluster = new ProcessCluster(scoped, schema, work, new Dictionary<string, string>
                {
                    ["Vitrina:Accounts:PollInterval"] = "00:01:00",
                });
                var startup = System.Diagnostics.Stopwatch.StartNew();
                await cluster.Start(silos);
                var client = await cluster.Client();
                startup.Stop();

                var timeline = new CatalogueTimeline(cluster);
                await Task.WhenAll(handles.Select(h =>
                    client.GetGrain<IAccountGrain>(h).Onboard(new AccountSource(AccountSource.Folder, Path.Combine(work, "shops", h)))));
                await timeline.WaitFor(accounts * posts, TimeSpan.FromMinutes(10));
                var seconds = timeline.Now.TotalSeconds;
                var rate = accounts * posts / seconds;
                Console.WriteLine($"| {silos} | {startup.Elapsed.TotalSeconds:F1} | {seconds:F1} | {rate:F1} | {rate / Environment.ProcessorCount:F1} |");
            }
            finally
            {
                await Execute(connectionString, $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
