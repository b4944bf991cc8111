using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vitrina.Grains.Sources.Instagram;
using Vitrina.Instagram;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Instagram;

/// <summary>The cluster-wide call budget: even spacing, refusals that say when to come back, and rate-limit blocks.</summary>
public sealed class GraphBudgetTests
{
    [Fact]
    public async Task Permits_are_spaced_refused_beyond_the_longest_wait_and_blocked_after_a_rate_limit()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, new Dictionary<string, string?>
        {
            ["Vitrina:Instagram:CallBudget"] = "30",
            // Paced at 85% of it: a call every 23.5 s. Nothing sleeps; the 10.6 s between the longest wait and the fourth
            // call's turn keep the test independent of how long the four calls below take on a busy machine.
            ["Vitrina:Instagram:BudgetWindow"] = "00:10:00",
        });
        var budget = cluster.Client.GetGrain<IGraphBudgetGrain>("default");
        var longest = TimeSpan.FromSeconds(60);
        using var metrics = new RecordedMetrics(GraphMetrics.Meter);

        var waits = new List<GraphPermit>();
        for (var i = 0; i < 4; i++)
        {
            waits.Add(await budget.TryReserve(longest));
        }

        Assert.True(waits[0].Granted && waits[0].Wait < TimeSpan.FromSeconds(2));
        Assert.True(waits[1].Granted && waits[1].Wait > TimeSpan.FromSeconds(13), $"second permit after {waits[1].Wait}");
        Assert.True(waits[2].Granted && waits[2].Wait > TimeSpan.FromSeconds(37), $"third permit after {waits[2].Wait}");
        Assert.False(waits[3].Granted); // would wait about 70.6 s
        Assert.InRange(waits[3].Wait, TimeSpan.Zero, TimeSpan.FromSeconds(10.7)); // how much longer than the longest wait

        await budget.ReportRateLimited(TimeSpan.FromMinutes(5));
        await budget.ReportRateLimited(TimeSpan.FromMinutes(5)); // another call in flight answered alike: the same block
        var blocked = await budget.TryReserve(TimeSpan.FromMinutes(1));
        Assert.False(blocked.Granted);
        Assert.True(blocked.Wait > TimeSpan.FromMinutes(3.9), $"told to come back after {blocked.Wait}");
        var state = await budget.GetState();
        Assert.Equal(3, state.Granted);
        Assert.Equal(2, state.Refused);
        Assert.NotNull(state.BlockedUntil);
        // Refusals and blocks leave no failure behind (the polls wait): their metrics are what an alert can watch.
        Assert.Equal(2, metrics.Sum("vitrina.instagram.budget_refused"));
        Assert.Equal(1, metrics.Sum("vitrina.instagram.blocks"));
    }

    [Fact]
    public async Task Permits_spread_out_as_the_apps_usage_nears_its_limit()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, new Dictionary<string, string?>
        {
            ["Vitrina:Instagram:CallBudget"] = "30",
            ["Vitrina:Instagram:BudgetWindow"] = "00:10:00", // 23.5 s apart at 85 % of the budget
        });
        var budget = cluster.Client.GetGrain<IGraphBudgetGrain>("default");
        var even = TimeSpan.FromMinutes(10) / (30 * 0.85);

        var spacings = new List<TimeSpan>();
        foreach (var usage in new[] { 0, 90, 95, 100 })
        {
            await budget.ReportUsage(usage);
            spacings.Add((await budget.GetState()).Spacing);
        }

        // Even below 90 % (SlowDownAtUsagePercent), then stretched linearly up to four times at 100 %.
        Assert.Equal([1.0, 1.0, 2.5, 4.0], spacings.Select(s => Math.Round(s / even, 3)));
    }

    [Fact]
    public async Task A_read_under_way_waits_for_its_next_page_where_a_new_poll_is_deferred_and_gives_its_call_back_if_it_stops()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, new Dictionary<string, string?>
        {
            ["Vitrina:Instagram:CallBudget"] = "30",
            ["Vitrina:Instagram:BudgetWindow"] = "00:10:00", // a call every 23.5 s
        });
        var budget = cluster.Client.GetGrain<IGraphBudgetGrain>("default");
        var gate = new GraphBudgetGate(cluster.Client, new ServiceCollection()
            .Configure<InstagramOptions>(o => (o.LongestPermitWait, o.LongestNextPageWait) = (TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(15)))
            .BuildServiceProvider().GetRequiredService<IOptionsMonitor<InstagramOptions>>());
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await budget.TryReserve(TimeSpan.FromSeconds(60))).Granted); // other accounts' calls, 70 s of them
        }

        await Assert.ThrowsAsync<GraphBudgetExhaustedException>(() => gate.Enter("a new poll", continuesRead: false, CancellationToken.None));
        // The second page of a read gets the next call and starts waiting for it (cancelled here, to spare the test 70 s).
        using var giveUp = new CancellationTokenSource();
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gate.Enter("page 2 of a read", continuesRead: true, giveUp.Token));

        var state = await budget.GetState();
        Assert.Equal((4, 1), (state.Granted, state.Refused));

        // The read that gave up gave its call back: the next to wait takes it (70.6 s ahead), not the one after (94.1 s).
        var next = await budget.TryReserve(TimeSpan.FromMinutes(15));
        Assert.True(next.Granted);
        Assert.InRange(next.Wait, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(71));
        Assert.InRange((await budget.TryReserve(TimeSpan.FromMinutes(15))).Wait, TimeSpan.FromSeconds(74), TimeSpan.FromSeconds(95));
    }
}
