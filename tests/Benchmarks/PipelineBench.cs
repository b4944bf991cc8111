using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
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
    /// <param name="accounts">
    /// Shops polled at once, each with ImageConcurrency (16) photos in flight: with a GPU classifier the pipeline is
    /// bound by photos in flight over their latency unless enough shops feed it (a marketplace polls many at once).
    /// </param>
    /// <param name="photoSide">
    /// Longer side to enlarge the demo photos to first (Instagram serves 1,080 px), or null for the photos as they are (288 px).
    /// </param>
    /// <param name="fetchMemoryMegabytes">The silo's <c>Vitrina:Images:FetchMemoryMegabytes</c>, or null for its default.</param>
    /// <param name="progressive">Whether to write the photos as progressive JPEGs, as many web encoders and CDNs serve them.</param>
    /// <param name="instantClassifier">Whether <see cref="InstantClassifierGrain"/> answers in place of the model.</param>
    public static async Task Run(int images, int accounts, int? photoSide, int? fetchMemoryMegabytes, bool progressive, bool instantClassifier)
    {
        var work = Path.Combine(Path.GetTempPath(), "vitrina-bench", Guid.NewGuid().ToString("N"));
        using var models = new TemporaryStore();
        var model = models.ShippedOrPaperModels();
        var settings = model.Preparation;
        var photos = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "photos"), "*.jpg", SearchOption.AllDirectories)
            .Where(p => Decodes(p, settings)).Order().ToList();
        if (photoSide is { } side)
        {
            photos = photos.Select(p => Enlarged(p, side, Path.Combine(work, "enlarged"))).ToList();
        }

        if (progressive)
        {
            var folder = Directory.CreateDirectory(Path.Combine(work, "progressive")).FullName;
            photos = photos.Select(p =>
            {
                var target = Path.Combine(folder, Path.GetFileName(p));
                File.WriteAllBytes(target, DecodeBench.Progressive(File.ReadAllBytes(p)));
                return target;
            }).ToList();
        }

        for (var i = 0; i < images; i++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(work, "accounts", $"shop{i % accounts}")).FullName;
            var target = Path.Combine(folder, $"p{i:D5}.jpg");
            File.Copy(photos[i % photos.Count], target);
        }

        var cores = Environment.ProcessorCount;
        var (decodeRate, decodeAllCores, withThumbnailRate) = DecodeOnly(photos, settings, cores);
        var database = Environment.GetEnvironmentVariable("VITRINA_BENCH_PG") is { Length: > 0 } set ? set : null;
        using var samples = new MetricSamples();
        var run = await Pipeline(work, models.Store.Root, database, images, fetchMemoryMegabytes, samples, instantClassifier);
        var rate = run.WindowPhotos / run.Window.TotalSeconds;

        Console.WriteLine();
        Console.WriteLine($"### Pipeline: {images} photos ({photos.Count} distinct demo JPEGs, longer side {photoSide?.ToString() ?? "288"} px{(progressive ? ", progressive" : "")}), {accounts} accounts, {(instantClassifier ? $"an instant classifier answering for model {model.Version} (no model run)" : $"model {model.Version} on {(TorchSharp.torch.cuda.is_available() ? "CUDA" : "CPU")}")}, catalogue in {(database is null ? "SQLite" : "PostgreSQL")}, " +
            $"fetch memory {Grains.Images.MemoryBudget.SizeFor(fetchMemoryMegabytes ?? 0) / (1024 * 1024)} MB, decode memory {Grains.Images.MemoryBudget.SizeFor(0) / (1024 * 1024)} MB");
        Console.WriteLine();
        Console.WriteLine("| measure | images/s | per core |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| decode + orient + resize only (ImagePreparation, 1 thread) | {decodeRate:F1} | {decodeRate:F1} |");
        Console.WriteLine($"| decode + orient + resize only, {cores} threads at once (cores sharing caches and memory, as in the pipeline) | {decodeAllCores:F1} | {decodeAllCores / cores:F1} |");
        Console.WriteLine($"| decode + orient + resize + the shelf's thumbnail (what the pipeline prepares per photo, 1 thread) | {withThumbnailRate:F1} | {withThumbnailRate:F1} |");
        Console.WriteLine($"| end to end, whole run: folder -> prepare -> classify -> catalogue ({run.Rows} rows in {run.Elapsed.TotalSeconds:F1} s) | {images / run.Elapsed.TotalSeconds:F1} | {images / run.Elapsed.TotalSeconds / cores:F1} |");
        Console.WriteLine($"| end to end, steady state ({run.WindowPhotos} photos from {run.WindowStart.TotalSeconds:F1} s, when {run.WindowReason}, to 90 % filed) | {rate:F1} | {rate / cores:F1} |");
        Console.WriteLine($"| ratio pipeline (steady state) / decode-only, per core | | {rate / cores / decodeRate:F2} |");
        Console.WriteLine($"| ratio pipeline (steady state) / decode-only on {cores} threads | | {rate / decodeAllCores:F2} |");
        Console.WriteLine($"| ratio pipeline (steady state) / preparation with thumbnail, per core | | {rate / cores / withThumbnailRate:F2} |");
        Console.WriteLine();
        // Per photo of CPU time rather than per core of wall time: the same ratio where the cores are all busy, and still
        // meaningful where they are not (a GPU silo whose catalogue, not its CPU, is the ceiling).
        var cpuPerPhoto = run.Used.Cpu.TotalMilliseconds / Math.Max(1, run.WindowPhotos);
        Console.WriteLine($"CPU time in the steady state: {cpuPerPhoto:F2} ms per photo against {1000 / decodeRate:F2} ms to prepare one alone (ratio {1000 / decodeRate / cpuPerPhoto:F2}); {run.Used.Cpu.TotalSeconds / run.Window.TotalSeconds:F1} of {cores} cores busy.");
        Console.WriteLine($"Garbage collection in the steady state: paused {run.Used.Paused.TotalSeconds / run.Window.TotalSeconds:P1} of the time, {run.Used.Gen1} gen1 and {run.Used.Gen2} gen2 collections in {run.Window.TotalSeconds:F1} s.");
        Console.WriteLine($"Whole run: managed heap at most {run.PeakHeapBytes / (1024 * 1024)} MB; {samples.Counted("vitrina.image.handed_back")} photos handed back to their account by a full classifier queue (submitted again), " +
            $"{samples.Counted("vitrina.image.abandoned")} given up past their deadline (handed over again by the next poll), " +
            $"{samples.Counted("vitrina.classifier.abandoned")} classifier requests dropped because their photo was given up, " +
            $"{samples.Counted("vitrina.classifier.rejected")} refused by a full classifier queue, " +
            $"{samples.Counted("vitrina.image.fetch_memory_waits")} fetches waited for the silo's fetch memory, " +
            $"{samples.Counted("vitrina.image.decode_memory_waits")} decodes for its decode memory.");
        Console.WriteLine();
        Console.WriteLine("| stage | p50 (ms) | p95 (ms) | p99 (ms) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var stage in new[] { "fetch", "prepare", "classify", "file" })
        {
            var (p50, p95, p99) = Percentiles.Of(samples.Get($"vitrina.image.stage_duration:{stage}"));
            Console.WriteLine($"| {stage} | {p50:F1} | {p95:F1} | {p99:F1} |");
        }

        if (!instantClassifier) // which has no queue
        {
            var (q50, q95, q99) = Percentiles.Of(samples.Get("vitrina.classifier.queue_wait"));
            Console.WriteLine($"| classifier queue wait (inside classify) | {q50:F1} | {q95:F1} | {q99:F1} |");
        }
        // Filings are written together, as many as arrived while the previous write ran: the fewer per transaction,
        // the more each photo costs the database.
        var transactions = samples.Get("vitrina.catalogue.batch_size");
        Console.WriteLine();
        Console.WriteLine($"Catalogue in the steady state: {transactions.Count} transactions of {(transactions.Count == 0 ? 0 : transactions.Average()):F1} rows on average.");
        Directory.Delete(work, recursive: true);
    }

    private static string Enlarged(string path, int side, string folder)
    {
        using var image = Image.Load<Rgb24>(path);
        var scale = (double)side / Math.Max(image.Width, image.Height);
        image.Mutate(x => x.AutoOrient().Resize((int)Math.Round(image.Width * scale), (int)Math.Round(image.Height * scale), KnownResamplers.Bicubic));
        var target = Path.Combine(Directory.CreateDirectory(folder).FullName, $"{Path.GetFileNameWithoutExtension(path)}-{Guid.NewGuid():N}.jpg");
        image.SaveAsJpeg(target, new JpegEncoder { Quality = 90 });
        return target;
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

    /// <summary>
    /// The distinct photos prepared over and over for two seconds, after two untimed seconds that let the JIT finish
    /// optimising ImageSharp's loops: by one thread, then by one thread per core at once. The second is the machine's
    /// real CPU limit, since cores that decode together share caches, memory bandwidth and (on many machines) clock boost.
    /// Last, on one thread, with the thumbnail each filed photo also gets (the issue's CPU limit leaves it out).
    /// </summary>
    private static (double OneThread, double AllCores, double WithThumbnail) DecodeOnly(IReadOnlyList<string> photos, PreparationSettings settings, int cores)
    {
        var bytes = photos.Select(File.ReadAllBytes).ToList();
        Action<byte[]> prepare = b => ImagePreparation.Prepare(b, settings);
        PrepareFor(bytes, prepare, TimeSpan.FromSeconds(2));
        var one = PrepareFor(bytes, prepare, TimeSpan.FromSeconds(2));
        var rates = new double[cores];
        Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, i => rates[i] = PrepareFor(bytes, prepare, TimeSpan.FromSeconds(2)));
        Action<byte[]> withThumbnail = b => ImagePreparation.PrepareWithThumbnail(b, settings, Thumbnails.DefaultSide);
        PrepareFor(bytes, withThumbnail, TimeSpan.FromSeconds(1));
        return (one, rates.Sum(), PrepareFor(bytes, withThumbnail, TimeSpan.FromSeconds(2)));
    }

    /// <summary>Prepares the photos again and again for at least <paramref name="duration"/>; returns photos per second.</summary>
    private static double PrepareFor(List<byte[]> bytes, Action<byte[]> prepare, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var done = 0;
        while (clock.Elapsed < duration)
        {
            bytes.ForEach(prepare);
            done += bytes.Count;
        }

        return done / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// The whole run, and its steady state: from the first second in which the JIT compiled fewer than 50 methods (the
    /// background compiler re-optimises thousands of hot methods under load for tens of seconds, on 2 cores a fifth of
    /// the CPU; a long-running silo is past that) or, failing that, half the photos filed, to 90 % filed (the last
    /// accounts to finish leave cores idle). Stage percentiles are taken over the same window.
    /// </summary>
    private static async Task<PipelineRun> Pipeline(
        string work, string models, string? database, int images, int? fetchMemoryMegabytes, MetricSamples samples, bool instantClassifier)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Vitrina:Classifier:ModelStore"] = models,
            ["Vitrina:Accounts:PollInterval"] = "01:00:00",
            ["Vitrina:Accounts:ImageConcurrency"] = "16",
            ["Vitrina:Catalogue:SqlitePath"] = Path.Combine(work, "catalogue.db"),
            ["Vitrina:Catalogue:ConnectionString"] = database,
            ["Vitrina:Catalogue:Schema"] = $"bench_{Guid.NewGuid():N}",
            ["Vitrina:Images:FetchMemoryMegabytes"] = fetchMemoryMegabytes?.ToString(),
        };
        await using var cluster = await BenchCluster.Start(configuration, instantClassifier);
        var grains = cluster.Client;
        await grains.GetGrain<Classification.IClassifierGrain>(0).GetModel();
        samples.Clear();

        // Onboarding starts each account's first poll inside the silo; a poll of thousands of posts outlasts any client
        // call timeout, so progress is followed through the filing metric, and the catalogue is counted at the end.
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Directory.EnumerateDirectories(Path.Combine(work, "accounts")).Select(folder =>
            grains.GetGrain<IAccountGrain>(Path.GetFileName(folder)).Onboard(new AccountSource(AccountSource.Folder, folder))));
        TimeSpan? start = null, end = null;
        long startFiled = 0, endFiled = 0, filed = 0;
        var atStart = ProcessSnapshot.Now();
        var inWindow = new ProcessSnapshot(TimeSpan.Zero, TimeSpan.Zero, 0, 0);
        var reason = "";
        var peakHeap = 0L;
        var jitBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var lastCheck = clock.Elapsed;
        while (filed < images && clock.Elapsed < TimeSpan.FromMinutes(10))
        {
            await Task.Delay(50);
            filed = samples.Total("vitrina.image.stage_duration:file");
            peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
            if (start is null && clock.Elapsed - lastCheck >= TimeSpan.FromSeconds(1))
            {
                var jit = System.Runtime.JitInfo.GetCompiledMethodCount();
                var settled = jit - jitBefore < 50 * (clock.Elapsed - lastCheck).TotalSeconds;
                (jitBefore, lastCheck) = (jit, clock.Elapsed);
                if ((settled && filed > 0) || filed >= images / 2)
                {
                    (start, startFiled, reason) = (clock.Elapsed, filed, settled ? "the JIT had settled" : "half were filed");
                    atStart = ProcessSnapshot.Now();
                    samples.Clear();
                }
            }

            if (start is not null && end is null && filed >= images * 9L / 10)
            {
                (end, endFiled) = (clock.Elapsed, filed);
                inWindow = ProcessSnapshot.Now() - atStart;
                samples.Freeze(); // the latencies are the window's too, not the tail's with fewer accounts in flight
            }
        }

        var elapsed = clock.Elapsed;
        var summary = await grains.GetGrain<Catalogue.ICatalogueGrain>(0).Summary();
        await cluster.StopSilosAsync();
        return new PipelineRun(elapsed, summary.Catalogued + summary.Moderation + summary.Failed, start ?? TimeSpan.Zero, (end ?? elapsed) - (start ?? TimeSpan.Zero), (end is null ? filed : endFiled) - startFiled, reason, inWindow, peakHeap);
    }

    /// <param name="Window">The steady-state window, from <paramref name="WindowStart"/>, in which <paramref name="WindowPhotos"/> were filed.</param>
    /// <param name="Used">What the process spent in the window: CPU, GC pauses and collections.</param>
    /// <param name="PeakHeapBytes">The most managed memory in use at any 50 ms sample of the run: photos in flight hold it.</param>
    private sealed record PipelineRun(TimeSpan Elapsed, long Rows, TimeSpan WindowStart, TimeSpan Window, long WindowPhotos, string WindowReason, ProcessSnapshot Used, long PeakHeapBytes);

    /// <param name="Cpu">CPU time used by the process (silo and bench client share it; the client only polls a metric).</param>
    private sealed record ProcessSnapshot(TimeSpan Cpu, TimeSpan Paused, int Gen1, int Gen2)
    {
        public static ProcessSnapshot Now() =>
            new(Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalPauseDuration(), GC.CollectionCount(1), GC.CollectionCount(2));

        public static ProcessSnapshot operator -(ProcessSnapshot a, ProcessSnapshot b) =>
            new(a.Cpu - b.Cpu, a.Paused - b.Paused, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2);
    }
}
