using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vitrina.Accounts;
using Vitrina.FakeGraphApi;
using Vitrina.Grains.Sources.Instagram;
using Vitrina.Images;
using Vitrina.Instagram;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Instagram;

/// <summary>
/// A few hundred shops onboarded through the cluster, read from the fake Graph API over real HTTP under the app's call
/// budget, their photos downloaded, classified and catalogued exactly once; re-polling unchanged shops costs one call
/// each and downloads nothing.
/// </summary>
public sealed class InstagramClusterTests
{
    private const int Accounts = 200;

    /// <summary>What the catalogue must hold: one row per image of a readable account (carousel children expanded, videos and link-less media skipped).</summary>
    private static int ExpectedImages(FakeInstagram world) =>
        Enumerable.Range(0, Accounts)
            .Select(i => world.FindAccount(FakeWorldShape.Username(i))!)
            .Where(a => a.Kind == FakeAccountKind.Business)
            .SelectMany(a => a.Media)
            .Sum(m => m.MediaType == FakeMedia.CarouselAlbum
                ? m.Children.Count(c => c.MediaType == FakeMedia.Image && c.HasMediaUrl)
                : m.MediaType == FakeMedia.Image && m.HasMediaUrl ? 1 : 0);

    [Fact]
    public async Task Hundreds_of_shops_are_catalogued_exactly_within_the_call_budget()
    {
        var world = FakeInstagram.Generate(new FakeWorldShape { Accounts = Accounts, MinPosts = 1, MaxPosts = 3, PersonalShare = 0.03, PrivateShare = 0.02 }, seed: 7);
        await using var server = await FakeGraphServer.Start(world, new FakeGraphOptions { CallBudget = 6_000, Window = TimeSpan.FromMinutes(10) });
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        // Reminders first fire at a random point of the interval: keep their ticks out of the counted re-poll.
        await using var cluster = await StartCluster(server, database, models, pollInterval: "10.00:00:00");

        var handles = Enumerable.Range(0, Accounts).Select(FakeWorldShape.Username).ToList();
        await Task.WhenAll(handles.Select(h => cluster.Client.GetGrain<IAccountGrain>(h).Onboard(new AccountSource(AccountSource.Instagram, h))));
        var statuses = await WaitForFirstPolls(cluster, handles);

        var expected = ExpectedImages(world);
        var readable = handles.Count(h => world.FindAccount(h)!.Kind == FakeAccountKind.Business);
        Assert.Equal(expected, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
        Assert.Equal(expected, await database.Scalar("SELECT count(DISTINCT image_id) FROM \"{schema}\".items"));
        Assert.Equal(0, server.Counters.RateLimitErrors);
        Assert.Equal(Accounts - readable, statuses.Count(s => s.State == AccountState.Parked));
        Assert.All(statuses.Where(s => s.State == AccountState.Parked), s => Assert.Contains("@shop", s.LastError));
        Assert.Equal(expected, statuses.Sum(s => s.ImagesSubmitted + s.ImagesFailed));
        var budget = await cluster.Client.GetGrain<IGraphBudgetGrain>("default").GetState();
        Assert.True(budget.Granted >= server.Counters.TotalApiCalls, $"{server.Counters.TotalApiCalls} calls, {budget.Granted} permits");

        // Nothing changed: one page read per readable account, no image downloaded, nothing added.
        server.Counters.Reset();
        await Task.WhenAll(handles.Where(h => world.FindAccount(h)!.Kind == FakeAccountKind.Business)
            .Select(h => cluster.Client.GetGrain<IAccountGrain>(h).Poll()));
        Assert.Equal(readable, server.Counters.TotalApiCalls);
        Assert.Equal(0, server.Counters.ImageDownloads);
        Assert.Equal(expected, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
    }

    [Fact]
    public async Task A_retry_that_comes_due_after_a_pause_neither_polls_nor_unpauses_the_account()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        world.AddPosts("shop_anna", 3);
        // One call per 3 s: the poll is rate limited and schedules its own retry within seconds, well inside the hour-long
        // poll interval.
        await using var server = await FakeGraphServer.Start(world, new FakeGraphOptions { CallBudget = 1, Window = TimeSpan.FromSeconds(3) });
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await StartCluster(server, database, models);
        var account = cluster.Client.GetGrain<IAccountGrain>("shop_anna");

        await account.Onboard(new AccountSource(AccountSource.Instagram, "shop_anna"));
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while ((await account.GetStatus()).State != AccountState.Failing && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(AccountState.Failing, (await account.GetStatus()).State);
        Assert.Equal(AccountState.Paused, (await account.Pause()).State);
        var calls = server.Counters.TotalApiCalls;
        await Task.Delay(TimeSpan.FromSeconds(7)); // past the retry's due time (at most 1.5 x the 3 s window)

        var status = await account.GetStatus();
        Assert.Equal(AccountState.Paused, status.State);
        Assert.Null(status.NextPoll);
        Assert.Equal(calls, server.Counters.TotalApiCalls);
        Assert.Equal("account is paused", (await account.Poll()).Error);
        Assert.Equal(calls, server.Counters.TotalApiCalls);
    }

    [Fact]
    public async Task A_pause_stops_a_read_that_waits_for_its_next_page()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_long");
        world.AddPosts("shop_long", 30); // two pages of 25
        await using var server = await FakeGraphServer.Start(world);
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        // A call every 7 s: /me, then the first page at 7 s, the second due at 14 s: seconds for the pause to land between.
        await using var cluster = await StartCluster(server, database, models, pollInterval: "10.00:00:00", callBudget: 100);
        var account = cluster.Client.GetGrain<IAccountGrain>("shop_long");

        await account.Onboard(new AccountSource(AccountSource.Instagram, "shop_long"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (server.Counters.Calls(FakeGraphCounters.BusinessDiscovery) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(AccountState.Paused, (await account.Pause()).State);
        await Task.Delay(TimeSpan.FromSeconds(9)); // past the second page's turn

        Assert.Equal(1, server.Counters.Calls(FakeGraphCounters.BusinessDiscovery));
        Assert.Equal(0, server.Counters.ImageDownloads);
        Assert.Equal(AccountState.Paused, (await account.GetStatus()).State);
    }

    [Fact]
    public async Task Accounts_parked_by_a_refused_token_poll_again_by_themselves_once_the_token_is_replaced()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        world.AddPosts("shop_anna", 3);
        await using var server = await FakeGraphServer.Start(world);
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await StartCluster(server, database, models, token: "an-expired-token");
        var account = cluster.Client.GetGrain<IAccountGrain>("shop_anna");
        var tick = account.AsReference<IRemindable>();

        await account.Onboard(new AccountSource(AccountSource.Instagram, "shop_anna"));
        var parked = await WaitFor(account, s => s.State == AccountState.Parked);
        Assert.Contains("access token was rejected", parked.LastError);

        // The poll reminder's tick with the refused token still configured: the account stays parked and calls nothing.
        var calls = server.Counters.TotalApiCalls;
        await tick.ReceiveReminder("poll", new TickStatus(DateTime.UtcNow, TimeSpan.FromHours(1), DateTime.UtcNow));
        await Task.Delay(500);
        Assert.Equal(AccountState.Parked, (await account.GetStatus()).State);
        Assert.Equal(calls, server.Counters.TotalApiCalls);

        cluster.Reconfigure("Vitrina:Instagram:AccessToken", server.AccessToken);
        await tick.ReceiveReminder("poll", new TickStatus(DateTime.UtcNow, TimeSpan.FromHours(1), DateTime.UtcNow));
        var active = await WaitFor(account, s => s is { State: AccountState.Active, LastError: null, PostsSeen: 3 });

        Assert.Equal(AccountState.Active, active.State);
        Assert.Equal(3, active.ImagesSubmitted + active.ImagesFailed);
        Assert.Equal(3, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
    }

    [Fact]
    public async Task A_sweep_reads_every_page_and_withdraws_the_photos_of_deleted_posts()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_sold");
        var carousel = world.AddCarousel("shop_sold");
        var posts = world.AddPosts("shop_sold", 30); // two pages of 25 and more
        await using var server = await FakeGraphServer.Start(world);
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await StartCluster(server, database, models, pollInterval: "10.00:00:00", sweepInterval: "00:00:00.001");
        var account = cluster.Client.GetGrain<IAccountGrain>("shop_sold");
        await account.Onboard(new AccountSource(AccountSource.Instagram, "shop_sold"));
        await WaitFor(account, s => s.PostsSeen == 31);

        world.DeletePost(carousel.Id); // the oldest post, on the last page
        world.DeletePost(posts[^1].Id); // the newest
        server.Counters.Reset();
        await account.Poll();

        Assert.True(server.Counters.TotalApiCalls >= 2, $"{server.Counters.TotalApiCalls} calls: the sweep read one page only");
        var status = await account.GetStatus();
        Assert.Equal((2, 29), (status.PostsWithdrawn, status.PostsSeen));
        Assert.Equal(4, await database.Scalar("SELECT count(*) FROM \"{schema}\".items WHERE status = 'Withdrawn'"));
        Assert.Equal(29, await database.Scalar("SELECT count(*) FROM \"{schema}\".items WHERE status <> 'Withdrawn'"));
    }

    [Fact]
    public async Task Photos_held_up_by_a_stalled_download_are_deferred_and_not_filed_after_their_account_is_removed()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_gone");
        world.AddPosts("shop_gone", 3);
        var cdn = new FakeGraphOptions { ImageDelay = TimeSpan.FromSeconds(10) }; // far past the 4 s the image calls wait
        await using var server = await FakeGraphServer.Start(world, cdn);
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await StartCluster(server, database, models, responseTimeout: TimeSpan.FromSeconds(4));
        var account = cluster.Client.GetGrain<IAccountGrain>("shop_gone");

        await account.Onboard(new AccountSource(AccountSource.Instagram, "shop_gone"));
        var failing = await WaitFor(account, s => s.State == AccountState.Failing);
        // The stalled download gives way before the image call's deadline: the post is deferred to a later poll (and at
        // last filed as Failed), not a timeout of the whole poll at every poll.
        Assert.Contains("held up by photos that could not be fetched", failing.LastError);
        Assert.Contains("did not arrive within", failing.LastError);
        Assert.Equal(0, await account.Remove(withdrawPhotos: true));

        // Past the CDN's delay: image calls left running would now download, classify and file the removed shop's photos.
        await Task.Delay(TimeSpan.FromSeconds(12));
        Assert.Equal(0, server.Counters.ImageDownloads);
        Assert.Equal(0, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
    }

    private static async Task<AccountStatus> WaitFor(IAccountGrain account, Func<AccountStatus, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var status = await account.GetStatus();
            if (done(status) || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task An_expired_photo_link_is_exchanged_for_a_fresh_one()
    {
        var world = new FakeInstagram();
        world.AddAccount("link_shop");
        var post = world.AddPost("link_shop");
        await using var server = await FakeGraphServer.Start(world, new FakeGraphOptions { ImageUrlLifetime = TimeSpan.FromHours(1) });
        var settings = new Dictionary<string, string?>
        {
            ["Vitrina:Instagram:BaseUrl"] = server.BaseUrl.ToString(),
            ["Vitrina:Instagram:AccessToken"] = server.AccessToken,
            ["Vitrina:Instagram:CallBudget"] = "6000", // the refresh reads the shop's list: calls a second apart, not 21 s
            ["Vitrina:Instagram:BudgetWindow"] = "00:10:00",
        };
        await using var api = new ServiceCollection().AddLogging()
            .AddInstagramSource(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
        var link = await api.GetRequiredService<GraphApiClient>().RefreshMediaUrl(post.Id, "link_shop", CancellationToken.None);
        world.Clock.Advance(TimeSpan.FromHours(2)); // the link a poll listed is now days old, as it were

        await using var database = new TestDatabase();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, settings);
        var outcome = await cluster.Client.GetGrain<IImageGrain>(IImageGrain.Key).Process(new ImageWork
        {
            ImageId = $"link_shop/{post.Id}", Account = "link_shop", PostId = post.Id, Source = link!,
            MediaId = post.Id, SourceKind = AccountSource.Instagram,
        });

        Assert.NotEqual(ImageStatus.Failed, outcome.Status);
        Assert.Equal(1, server.Counters.ExpiredImageLinks);
        Assert.Equal(1, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
    }

    [Fact]
    public async Task Fetching_a_photo_again_stops_at_its_deadline_and_gives_back_the_call_it_was_waiting_for()
    {
        var world = new FakeInstagram();
        world.AddAccount("long_shop");
        var oldest = world.AddPosts("long_shop", 12)[0]; // on the list's third page of 5
        await using var server = await FakeGraphServer.Start(world, new FakeGraphOptions { ImageUrlLifetime = TimeSpan.FromHours(1) });
        var settings = new Dictionary<string, string?>
        {
            ["Vitrina:Instagram:BaseUrl"] = server.BaseUrl.ToString(),
            ["Vitrina:Instagram:AccessToken"] = server.AccessToken,
            ["Vitrina:Instagram:OurUserId"] = FakeInstagram.OwnerId,
            ["Vitrina:Instagram:PageSize"] = "5",
            ["Vitrina:Instagram:CallBudget"] = "30", // a call every 23.5 s
            ["Vitrina:Instagram:BudgetWindow"] = "00:10:00",
        };
        await using var api = new ServiceCollection().AddLogging()
            .AddInstagramSource(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
        var link = await api.GetRequiredService<GraphApiClient>().RefreshMediaUrl(oldest.Id, "long_shop", CancellationToken.None);
        world.Clock.Advance(TimeSpan.FromHours(2));
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, settings);
        server.Counters.Reset();

        // A moderator's page asks for the photo: its link has expired, and the shop's second page is 23.5 s away.
        var asked = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<TimeoutException>(() => cluster.Client.GetGrain<IImageGrain>(IImageGrain.Key).Photo(new ImageWork
        {
            ImageId = $"long_shop/{oldest.Id}", Account = "long_shop", PostId = oldest.Id, Source = link!,
            MediaId = oldest.Id, SourceKind = AccountSource.Instagram, Deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2),
        }));

        Assert.Contains("deadline", e.Message);
        Assert.InRange(asked.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
        Assert.Equal(1, server.Counters.TotalApiCalls); // the first page only
        // The call it gave up waiting for goes to the next caller, 23.5 s after the first page, not 47 s.
        var budget = cluster.Client.GetGrain<IGraphBudgetGrain>("default");
        Assert.InRange((await budget.TryReserve(TimeSpan.FromMinutes(1))).Wait, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(23.5));
    }

    [Fact]
    public async Task A_poll_the_call_budget_cannot_serve_yet_waits_without_failing_the_account_or_writing_it()
    {
        var world = new FakeInstagram();
        world.AddAccount("patient_shop");
        world.AddPosts("patient_shop", 2);
        await using var server = await FakeGraphServer.Start(world);
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await StartCluster(server, database, models, pollInterval: "10.00:00:00", callBudget: 30); // a call every 23.5 s
        var budget = cluster.Client.GetGrain<IGraphBudgetGrain>("default");
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await budget.TryReserve(TimeSpan.FromSeconds(60))).Granted); // other shops' calls: the next is 70 s away
        }

        var account = cluster.Client.GetGrain<IAccountGrain>("patient_shop");
        async Task<string?> Stored() => (await cluster.StoredAccount(account)).ETag;

        await account.Onboard(new AccountSource(AccountSource.Instagram, "patient_shop")); // its first poll is refused a call
        var onboarded = await Stored();
        await WaitUntil(async () => (await account.GetStatus()).LastError is not null);

        var status = await account.GetStatus();
        Assert.Equal(AccountState.Active, status.State); // not a failure of the shop's: nothing was tried
        Assert.Contains("call budget", status.LastError);
        Assert.Equal(onboarded, await Stored());
        Assert.Equal(0, server.Counters.TotalApiCalls);
    }

    [Fact]
    public async Task A_post_held_up_by_its_photo_and_deleted_before_it_was_filed_is_forgotten_by_the_sweep()
    {
        var world = new FakeInstagram();
        world.AddAccount("flaky_shop");
        var post = world.AddPost("flaky_shop");
        var fake = new FakeGraphOptions { CdnStatus = 503 };
        await using var server = await FakeGraphServer.Start(world, fake);
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await StartCluster(server, database, models, pollInterval: "10.00:00:00", sweepInterval: "00:00:00.001");
        var account = cluster.Client.GetGrain<IAccountGrain>("flaky_shop");
        async Task<IReadOnlyCollection<string>> Deferred() => (await cluster.StoredAccount(account)).State?.DeferredSince.Keys.ToList() ?? [];

        await account.Onboard(new AccountSource(AccountSource.Instagram, "flaky_shop"));
        await WaitUntil(async () => (await account.GetStatus()).State == AccountState.Failing);
        Assert.Equal([post.Id], await Deferred());

        world.DeletePost(post.Id); // sold before the CDN came back
        await account.Poll();

        Assert.Empty(await Deferred());
    }

    [Fact]
    public async Task A_reminder_tick_during_a_long_poll_returns_at_once_and_starts_no_second_poll()
    {
        var world = new FakeInstagram();
        world.AddAccount("slow_shop");
        world.AddPost("slow_shop");
        var fake = new FakeGraphOptions { ImageDelay = TimeSpan.FromSeconds(8) };
        await using var server = await FakeGraphServer.Start(world, fake);
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await StartCluster(server, database, models, pollInterval: "10.00:00:00");
        var account = cluster.Client.GetGrain<IAccountGrain>("slow_shop");
        await account.Onboard(new AccountSource(AccountSource.Instagram, "slow_shop")); // its first poll starts now
        await WaitUntil(() => Task.FromResult(server.Counters.Calls(FakeGraphCounters.BusinessDiscovery) == 1)); // the photo is on its way

        var tick = account.AsReference<IRemindable>().ReceiveReminder("poll", new TickStatus(DateTime.UtcNow, TimeSpan.FromDays(10), DateTime.UtcNow));

        Assert.Same(tick, await Task.WhenAny(tick, Task.Delay(TimeSpan.FromSeconds(5)))); // not queued behind the poll's 8 s
        await WaitUntil(async () => (await account.GetStatus()).ImagesSubmitted == 1);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, server.Counters.Calls(FakeGraphCounters.BusinessDiscovery)); // the tick started no poll of its own
    }

    [Fact]
    public async Task Photos_the_cdn_refuses_for_a_while_are_fetched_at_a_later_poll_and_filed_as_failed_only_after_retrying_long_enough()
    {
        var world = new FakeInstagram();
        world.AddAccount("patient_shop");
        world.AddAccount("doomed_shop");
        var patient = world.AddPosts("patient_shop", 2);
        world.AddPost("doomed_shop");
        var fake = new FakeGraphOptions { CdnStatus = 503 };
        await using var server = await FakeGraphServer.Start(world, fake);
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await StartCluster(server, database, models, pollInterval: "10.00:00:00", retryImagesFor: "00:00:03");
        var account = cluster.Client.GetGrain<IAccountGrain>("patient_shop");
        await account.Onboard(new AccountSource(AccountSource.Instagram, "patient_shop"));

        // An outage during the first poll: nothing is filed, not even as Failed, and the account says why it is held up.
        await WaitUntil(async () => (await account.GetStatus()).State == AccountState.Failing);
        var outage = await account.GetStatus();
        Assert.Contains("2 post(s) held up", outage.LastError);
        Assert.Contains("HTTP 503", outage.LastError);
        Assert.Equal(0, outage.ImagesSubmitted + outage.ImagesFailed);
        Assert.Equal(0, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
        Assert.True(server.Counters.CdnRefusals >= 2 * 3, $"{server.Counters.CdnRefusals} refusals"); // each photo tried 3 times

        // The CDN is back: the next poll files both, once each.
        fake.CdnStatus = null;
        var recovered = await account.Poll();
        Assert.Null(recovered.Error);
        Assert.Equal(2, recovered.NewPosts);
        Assert.Equal(2, await database.Scalar("SELECT count(*) FROM \"{schema}\".items WHERE status <> 'Failed'"));
        Assert.Equal(2, (await account.GetStatus()).ImagesSubmitted);
        Assert.Equal(patient.Select(p => $"patient_shop/{p.Id}").Order(), (await database.Strings("SELECT image_id FROM \"{schema}\".items")).Order());

        // An outage that outlasts RetryImagesFor: filed as Failed with the reason, and not fetched again. The CDN asks
        // for two minutes: the photo is not asked for again within the poll.
        (fake.CdnStatus, fake.CdnRetryAfter) = (429, TimeSpan.FromMinutes(2));
        server.Counters.Reset();
        var doomed = cluster.Client.GetGrain<IAccountGrain>("doomed_shop");
        await doomed.Onboard(new AccountSource(AccountSource.Instagram, "doomed_shop"));
        await WaitUntil(async () => (await doomed.GetStatus()).State == AccountState.Failing);
        Assert.Equal(1, server.Counters.CdnRefusals);
        Assert.Contains("come back in 120 s", (await doomed.GetStatus()).LastError);
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var given = await doomed.Poll();
        Assert.Null(given.Error);
        Assert.Equal(1, given.ImagesFailed);
        Assert.Contains("HTTP 429", Assert.Single(await database.Strings("SELECT error FROM \"{schema}\".items WHERE account = 'doomed_shop'")));
        server.Counters.Reset();
        Assert.Equal(0, (await doomed.Poll()).NewPosts);
        Assert.Equal(0, server.Counters.CdnRefusals);
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(200);
        }
    }

    /// <summary>One silo reading Instagram from the fake server, under a call budget of its own that it never reaches.</summary>
    private static Task<VitrinaTestCluster> StartCluster(
        FakeGraphServer server, TestDatabase database, TempFolder models, string? pollInterval = null, string? token = null, string? sweepInterval = null,
        TimeSpan? responseTimeout = null, int callBudget = 6000, string? retryImagesFor = null)
    {
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        var settings = new Dictionary<string, string?>
        {
            ["Vitrina:Instagram:BaseUrl"] = server.BaseUrl.ToString(),
            ["Vitrina:Instagram:AccessToken"] = token ?? server.AccessToken,
            ["Vitrina:Instagram:CallBudget"] = $"{callBudget}",
            ["Vitrina:Instagram:BudgetWindow"] = "00:10:00",
        };
        if (pollInterval is not null)
        {
            settings["Vitrina:Accounts:PollInterval"] = pollInterval;
        }

        if (sweepInterval is not null)
        {
            settings["Vitrina:Accounts:SweepInterval"] = sweepInterval;
        }

        if (retryImagesFor is not null)
        {
            settings["Vitrina:Accounts:RetryImagesFor"] = retryImagesFor;
        }

        return VitrinaTestCluster.Start(database, models.Path, settings, responseTimeout: responseTimeout);
    }

    private static async Task<AccountStatus[]> WaitForFirstPolls(VitrinaTestCluster cluster, IReadOnlyList<string> handles)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            var statuses = await Task.WhenAll(handles.Select(h => cluster.Client.GetGrain<IAccountGrain>(h).GetStatus()));
            if (statuses.All(s => s.State == AccountState.Parked || s is { State: AccountState.Active, LastPoll: not null }) || DateTime.UtcNow > deadline)
            {
                return statuses;
            }

            await Task.Delay(500);
        }
    }
}
