using System.Diagnostics;
using Vitrina.Accounts;
using Vitrina.FakeGraphApi;
using Vitrina.Instagram;
using Vitrina.Training;
using Vitrina.Training.Images;
using Vitrina.Training.Models;
using Vitrina.Training.Store;

namespace Vitrina.Benchmarks;

/// <summary>
/// Onboarding many shops through the fake Graph API on one in-process silo: import rate and memory per idle account
/// grain; then a first poll of every shop (3 posts each) under a call budget the fake enforces and Vitrina knows, and
/// a re-poll of the unchanged shops. Photos are classified by the untrained paper models (fast on CPU): this measures
/// onboarding and rate budgets, not accuracy.
/// </summary>
public static class InstagramBench
{
    private const int PostsPerAccount = 3;
    private const int InFlight = 64;

    public static async Task Run(int idleAccounts, int polledAccounts, int callsPerMinute)
    {
        var work = Directory.CreateTempSubdirectory("vitrina-instagram-bench-").FullName;
        try
        {
            var models = PaperModelStore(Path.Combine(work, "models"));
            await Idle(work, models, idleAccounts);
            await FirstPoll(work, models, polledAccounts, callsPerMinute);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task Idle(string work, string models, int accounts)
    {
        var empty = Directory.CreateDirectory(Path.Combine(work, "empty")).FullName;
        await using var cluster = await BenchCluster.Start(Settings(work, models));
        var grains = cluster.Client;
        await grains.GetGrain<IAccountGrain>("warm_up").Onboard(new AccountSource(AccountSource.Folder, empty));
        var before = Heap();
        var clock = Stopwatch.StartNew();
        await ForEach(Enumerable.Range(0, accounts), i => grains.GetGrain<IAccountGrain>($"idle{i:D6}").Onboard(new AccountSource(AccountSource.Folder, empty)));
        var import = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(5)); // first polls of the empty folders finish
        var after = Heap();

        Console.WriteLine();
        Console.WriteLine($"### Onboarding {accounts:N0} accounts on one silo (in-process client, {InFlight} onboardings in flight)");
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| import (onboard + registry + reminder + state) | {import.TotalSeconds:F1} s, {accounts / import.TotalSeconds:F0} accounts/s |");
        Console.WriteLine($"| managed heap per idle account grain (after a full GC, reminders and registry included) | {(after - before) / (double)accounts / 1024:F1} KB |");
    }

    private static async Task FirstPoll(string work, string models, int accounts, int callsPerMinute)
    {
        var world = FakeInstagram.Generate(new FakeWorldShape
        {
            Accounts = accounts, MinPosts = PostsPerAccount, MaxPosts = PostsPerAccount,
            CarouselShare = 0, VideoShare = 0, MissingUrlShare = 0, PersonalShare = 0, PrivateShare = 0,
        });
        await using var server = await FakeGraphServer.Start(world, new FakeGraphOptions { CallBudget = callsPerMinute, Window = TimeSpan.FromMinutes(1) });
        var settings = Settings(work, models);
        settings["Vitrina:Instagram:BaseUrl"] = server.BaseUrl.ToString();
        settings["Vitrina:Instagram:AccessToken"] = server.AccessToken;
        settings["Vitrina:Instagram:CallBudget"] = $"{callsPerMinute}";
        settings["Vitrina:Instagram:BudgetWindow"] = "00:01:00";
        settings["Vitrina:Images:AllowPrivateAddresses"] = "true"; // the fake CDN serves photos on loopback
        await using var cluster = await BenchCluster.Start(settings);
        var grains = cluster.Client;
        var handles = Enumerable.Range(0, accounts).Select(FakeWorldShape.Username).ToList();

        var clock = Stopwatch.StartNew();
        await ForEach(handles, h => grains.GetGrain<IAccountGrain>(h).Onboard(new AccountSource(AccountSource.Instagram, h)));
        var expected = accounts * PostsPerAccount;
        while (true)
        {
            var summary = await grains.GetGrain<Catalogue.ICatalogueGrain>(0).Summary();
            if (summary.Catalogued + summary.Moderation + summary.Failed >= expected || clock.Elapsed > TimeSpan.FromHours(1))
            {
                break;
            }

            await Task.Delay(1000);
        }

        var firstPoll = clock.Elapsed;
        var firstCalls = server.Counters.TotalApiCalls;
        var downloads = server.Counters.ImageDownloads;
        var limited = server.Counters.RateLimitErrors;
        var budget = await grains.GetGrain<IGraphBudgetGrain>("default").GetState();

        server.Counters.Reset();
        clock.Restart();
        await ForEach(handles, h => grains.GetGrain<IAccountGrain>(h).Poll());
        var repoll = clock.Elapsed;

        Console.WriteLine();
        Console.WriteLine($"### First poll of {accounts:N0} Instagram accounts x {PostsPerAccount} posts (fake Graph API, budget {callsPerMinute} calls/min known to Vitrina)");
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| first poll, onboarding to last catalogue row | {firstPoll.TotalSeconds:F1} s ({expected / firstPoll.TotalSeconds:F1} photos/s) |");
        Console.WriteLine($"| API calls / image downloads | {firstCalls:N0} / {downloads:N0} |");
        Console.WriteLine($"| the budget's floor for those calls | {firstCalls * 60.0 / callsPerMinute:F1} s |");
        Console.WriteLine($"| rate-limit errors from the API | {limited} |");
        Console.WriteLine($"| permits granted / polls deferred by the budget | {budget.Granted:N0} / {budget.Refused:N0} |");
        Console.WriteLine($"| re-poll of all (unchanged): API calls / downloads / time | {server.Counters.TotalApiCalls:N0} / {server.Counters.ImageDownloads} / {repoll.TotalSeconds:F1} s |");
    }

    private static Dictionary<string, string?> Settings(string work, string models) => new()
    {
        ["Vitrina:Classifier:ModelStore"] = models,
        ["Vitrina:Classifier:MaxBatchSize"] = "64",
        ["Vitrina:Accounts:PollInterval"] = "01:00:00",
        ["Vitrina:Catalogue:SqlitePath"] = Path.Combine(work, $"catalogue-{Guid.NewGuid():N}.db"),
        ["Vitrina:Catalogue:ConnectionString"] = Environment.GetEnvironmentVariable("VITRINA_BENCH_PG"),
        ["Vitrina:Catalogue:Schema"] = $"bench_{Guid.NewGuid():N}",
    };

    private static string PaperModelStore(string root)
    {
        var store = new ModelStore(root);
        var manifest = new ModelManifest
        {
            Version = "paper-untrained",
            Architecture = PaperModels.Name,
            Preparation = PreparationSettings.Paper,
            ColourClasses = Taxonomy.Paper.Colours,
            CategoryClasses = Taxonomy.Paper.Categories,
        };
        using var model = ModelLoader.Create(manifest);
        store.Save(manifest, model);
        return store.Root;
    }

    private static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task ForEach<T>(IEnumerable<T> items, Func<T, Task> action)
    {
        using var gate = new SemaphoreSlim(InFlight);
        await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync();
            try
            {
                await action(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
