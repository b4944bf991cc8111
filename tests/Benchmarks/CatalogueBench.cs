using System.Diagnostics;
using Vitrina.Catalogue;
using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Placement;
using Vitrina.Images;

namespace Vitrina.Benchmarks;

/// <summary>
/// The catalogue's filing rate on its own: many image grains' worth of concurrent <c>File</c> calls (each with a
/// thumbnail, as image grains file them) into the catalogue writer grains, against SQLite (the single-node default) and PostgreSQL (when VITRINA_BENCH_PG is set).
/// </summary>
public static class CatalogueBench
{
    /// <summary>As large as the amateur photos' thumbnails are on average (docs/benchmarks.md, "Thumbnails"), and as incompressible.</summary>
    private static readonly byte[] Thumbnail = RandomBytes(9_000);

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    public static async Task Run(int rows, int concurrency)
    {
        Console.WriteLine();
        Console.WriteLine($"### Catalogue filing: {rows} rows, {concurrency} concurrent callers, writer grains: the default for each database");
        Console.WriteLine();
        Console.WriteLine("| database | rows/s | p50 / p99 per call (ms) | rows per transaction, mean |");
        Console.WriteLine("|---|---:|---:|---:|");
        await Measure("SQLite (WAL)", null, rows, concurrency);
        if (Environment.GetEnvironmentVariable("VITRINA_BENCH_PG") is { Length: > 0 } database)
        {
            await Measure("PostgreSQL", database, rows, concurrency);
        }
    }

    private static async Task Measure(string name, string? database, int rows, int concurrency)
    {
        var work = Directory.CreateTempSubdirectory("vitrina-catalogue-bench-").FullName;
        try
        {
            await using var cluster = await BenchCluster.Start(new Dictionary<string, string?>
            {
                ["Vitrina:Catalogue:SqlitePath"] = Path.Combine(work, "catalogue.db"),
                ["Vitrina:Catalogue:ConnectionString"] = database,
                ["Vitrina:Catalogue:Schema"] = $"bench_{Guid.NewGuid():N}",
            });
            var grains = cluster.Client;
            var writers = new CatalogueDatabaseOptions { ConnectionString = database }.WriterGrains;
            using var samples = new MetricSamples();
            var next = -1;
            var latencies = new double[rows];
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < rows; i = Interlocked.Increment(ref next))
                {
                    var item = Item(i);
                    var started = Stopwatch.GetTimestamp();
                    await grains.GetGrain<ICatalogueGrain>(GrainPool.Slot(item.ImageId, writers)).File(item);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
            }));
            var rate = rows / clock.Elapsed.TotalSeconds;
            var (p50, _, p99) = Percentiles.Of(latencies);
            var batches = samples.Get("vitrina.catalogue.batch_size");
            Console.WriteLine($"| {name}, {writers} writer grains | {rate:F0} | {p50:F1} / {p99:F1} | {(batches.Count > 0 ? batches.Average() : 0):F1} |");
            await cluster.StopSilosAsync();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static CatalogueItem Item(int i) => new()
    {
        ImageId = $"shop{i % 8}/{i}",
        Account = $"shop{i % 8}",
        PostId = $"{i}",
        Status = ImageStatus.Catalogued,
        Colour = "Blue",
        ColourProbability = 0.9f,
        Category = "Dresses",
        CategoryProbability = 0.8f,
        ModelVersion = "bench",
        UpdatedAt = DateTimeOffset.UtcNow,
        Thumbnail = Thumbnail,
    };
}
