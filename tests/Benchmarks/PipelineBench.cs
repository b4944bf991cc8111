using System.Diagnostics;
using Vitrina.Accounts;
using Vitrina.Training.Images;
using Vitrina.Training.Store;

namespace Vitrina.Benchmarks;

/// <summary>
/// End-to-end: photos in account folders -> account grains -> image grains (fetch, prepare) -> classifier -> catalogue
/// database, on one in-process silo; against the decode+resize-only rate of the same photos on one core.
/// </summary>
public static class PipelineBench
{
    // Each account keeps ImageConcurrency (16) photos in flight; on the 16-core GPU machine 8 accounts (128 photos) were
    // too few to cover a 100+ ms filing latency, and a marketplace polls many shops at once anyway.
    private const int Accounts = 32;

    public static async Task Run(int images)
    {
        var work = Path.Combine(Path.GetTempPath(), "vitrina-bench", Guid.NewGuid().ToString("N"));
        using var models = new TemporaryStore();
        var model = models.ShippedOrPaperModels();
        var settings = model.Preparation;
        var photos = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "photos"), "*.jpg", SearchOption.AllDirectories)
            .Where(p => Decodes(p, settings)).Order().ToList();
        for (var i = 0; i < images; i++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(work, "accounts", $"shop{i % Accounts}")).FullName;
            var target = Path.Combine(folder, $"p{i:D5}.jpg");
            File.Copy(photos[i % photos.Count], target);
        }

        var decodeRate = DecodeOnly(photos, settings);
        var database = Environment.GetEnvironmentVariable("VITRINA_BENCH_PG");
        using var samples = new MetricSamples();
        var (elapsed, catalogued) = await Pipeline(work, models.Store.Root, database, images);
        var rate = images / elapsed.TotalSeconds;
        var cores = Environment.ProcessorCount;

        Console.WriteLine();
        Console.WriteLine($"### Pipeline: {images} photos ({photos.Count} distinct demo JPEGs, longer side 288 px), {Accounts} accounts, model {model.Version} on {(TorchSharp.torch.cuda.is_available() ? "CUDA" : "CPU")}, catalogue in {(database is null ? "SQLite" : "PostgreSQL")}");
        Console.WriteLine();
        Console.WriteLine("| measure | images/s | per core |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| decode + orient + resize only (ImagePreparation, 1 thread) | {decodeRate:F1} | {decodeRate:F1} |");
        Console.WriteLine($"| end to end: folder -> prepare -> classify -> catalogue ({catalogued} rows) | {rate:F1} | {rate / cores:F1} |");
        Console.WriteLine($"| ratio pipeline / decode-only, per core | | {rate / cores / decodeRate:F2} |");
        Console.WriteLine();
        Console.WriteLine("| stage | p50 (ms) | p95 (ms) | p99 (ms) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var stage in new[] { "fetch", "prepare", "classify", "file" })
        {
            var (p50, p95, p99) = Percentiles.Of(samples.Get($"vitrina.image.stage_duration:{stage}"));
            Console.WriteLine($"| {stage} | {p50:F1} | {p95:F1} | {p99:F1} |");
        }

        var (q50, q95, q99) = Percentiles.Of(samples.Get("vitrina.classifier.queue_wait"));
        Console.WriteLine($"| classifier queue wait (inside classify) | {q50:F1} | {q95:F1} | {q99:F1} |");
        Directory.Delete(work, recursive: true);
    }

    private static bool Decodes(string path, PreparationSettings settings)
    {
        try
        {
            ImagePreparation.PrepareFile(path, settings);
            return true;
        }
        catch (ImageRejectedException)
        {
            return false;
        }
    }

    /// <summary>The distinct photos prepared over and over on this thread for at least two seconds.</summary>
    private static double DecodeOnly(IReadOnlyList<string> photos, PreparationSettings settings)
    {
        var bytes = photos.Select(File.ReadAllBytes).ToList();
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(2))
        {
            foreach (var b in bytes)
            {
                ImagePreparation.Prepare(b, settings);
            }

            done += bytes.Count;
        }

        return done / clock.Elapsed.TotalSeconds;
    }

    private static async Task<(TimeSpan Elapsed, long Rows)> Pipeline(string work, string models, string? database, int images)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Vitrina:Classifier:ModelStore"] = models,
            ["Vitrina:Accounts:PollInterval"] = "01:00:00",
            ["Vitrina:Accounts:ImageConcurrency"] = "16",
            ["Vitrina:Catalogue:SqlitePath"] = Path.Combine(work, "catalogue.db"),
            ["Vitrina:Catalogue:ConnectionString"] = database,
            ["Vitrina:Catalogue:Schema"] = $"bench_{Guid.NewGuid():N}",
        };
        await using var cluster = await BenchCluster.Start(configuration);
        var grains = cluster.Client;
        await grains.GetGrain<Classification.IClassifierGrain>(0).GetModel();

        // Onboarding starts each account's first poll inside the silo; a poll of thousands of posts outlasts any client
        // call timeout, so the clock stops when the catalogue holds every photo.
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Directory.EnumerateDirectories(Path.Combine(work, "accounts")).Select(folder =>
            grains.GetGrain<IAccountGrain>(Path.GetFileName(folder)).Onboard(new AccountSource(AccountSource.Folder, folder))));
        var catalogue = grains.GetGrain<Catalogue.ICatalogueGrain>(0);
        var summary = await catalogue.Summary();
        while (summary.Catalogued + summary.Moderation + summary.Failed < images && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(200);
            summary = await catalogue.Summary();
        }

        var elapsed = clock.Elapsed;
        await cluster.StopSilosAsync();
        return (elapsed, summary.Catalogued + summary.Moderation + summary.Failed);
    }
}
