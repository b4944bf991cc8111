using Vitrina.Accounts;
using Vitrina.FakeGraphApi;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Instagram;

public sealed class AccountPauseTests
{
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
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, new Dictionary<string, string?>
        {
            ["Vitrina:Instagram:BaseUrl"] = server.BaseUrl.ToString(),
            ["Vitrina:Instagram:AccessToken"] = server.AccessToken,
            ["Vitrina:Instagram:CallBudget"] = "6000",
            ["Vitrina:Instagram:BudgetWindow"] = "00:10:00",
        });
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
}
