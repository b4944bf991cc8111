using System.Diagnostics;
using Vitrina.FakeGraphApi;
using Vitrina.Grains.Sources;
using Vitrina.Grains.Sources.Instagram;
using Vitrina.Tests.Support;

namespace Vitrina.Tests.Instagram;

public sealed class InstagramFailureTests
{
    [Fact]
    public async Task A_rejected_token_parks_the_account_with_a_reason_that_never_shows_the_token()
    {
        const string secret = "EAAB-wrong-secret-token";
        await using var graph = await GraphHarness.Start(World(), settings: new Dictionary<string, string?> { ["AccessToken"] = secret });

        var e = await Assert.ThrowsAsync<GraphTokenRejectedException>(() => graph.ReadAll("shop_anna"));

        Assert.Equal(SourceFailureDisposition.Park, e.Disposition);
        Assert.Equal(190, e.Error?.Code);
        Assert.Contains("@shop_anna", e.Message);
        Assert.Contains("access token was rejected", e.Message);
        Assert.Contains("HTTP 400", e.Message);
        Assert.DoesNotContain(secret, e.Message);
        Assert.DoesNotContain(secret, e.ToString());
        Assert.Equal(new InstagramOptions { AccessToken = secret }.TokenFingerprint, e.RefusedCredential);
        Assert.Equal(1, graph.Counters.TokenErrors);
    }

    [Fact]
    public async Task A_missing_permission_parks_like_a_rejected_token_so_a_new_token_brings_the_accounts_back()
    {
        await using var graph = await GraphHarness.Start(World());
        graph.Server.FailNext(FakeFailure.PermissionDenied);

        var e = await Assert.ThrowsAsync<GraphTokenRejectedException>(() => graph.ReadAll("shop_anna"));

        Assert.Contains("lacks a permission", e.Message);
        Assert.Equal(new InstagramOptions { AccessToken = graph.Server.AccessToken }.TokenFingerprint, e.RefusedCredential);
    }

    [Fact]
    public async Task Nothing_logged_at_any_level_carries_the_token()
    {
        var logs = new CapturedLogs();
        await using var graph = await GraphHarness.Start(World(), logs: logs);
        graph.Server.FailNext(FakeFailure.ServerError);
        await graph.ReadAll("shop_anna");
        graph.Server.FailNext(FakeFailure.HtmlPage, 3);
        await Assert.ThrowsAsync<GraphTransientException>(() => graph.ReadAll("shop_anna"));
        await graph.Client.RefreshMediaUrl(graph.World.FindAccount("shop_anna")!.Media[0].Id, "shop_anna", CancellationToken.None);

        Assert.Contains(logs.Lines, line => line.Contains("business_discovery"));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(graph.Server.AccessToken));
    }

    [Fact]
    public async Task No_configured_token_parks_without_calling_the_api()
    {
        await using var graph = await GraphHarness.Start(World(), settings: new Dictionary<string, string?> { ["AccessToken"] = "" });

        var e = await Assert.ThrowsAsync<GraphTokenRejectedException>(() => graph.ReadAll("shop_anna"));

        Assert.Contains("no Graph API access token is configured", e.Message);
        Assert.Equal(GraphTokenRejectedException.NoToken, e.RefusedCredential);
        Assert.Equal(0, graph.Counters.TotalApiCalls);
    }

    [Theory]
    [InlineData("nobody_here")]
    [InlineData("anna_personal")]
    [InlineData("anna_private")]
    public async Task Unknown_personal_and_private_accounts_are_parked_alike_as_business_discovery_cannot_tell_them_apart(string username)
    {
        var world = World();
        world.AddAccount("anna_personal", FakeAccountKind.Personal);
        world.AddAccount("anna_private", FakeAccountKind.Private);
        await using var graph = await GraphHarness.Start(world);

        var e = await Assert.ThrowsAsync<GraphAccountUnavailableException>(() => graph.ReadAll(username));

        Assert.Equal(SourceFailureDisposition.Park, e.Disposition);
        Assert.Contains("cannot be found", e.Reason); // Meta's answer (110/2207013) for all three
        Assert.Contains($"@{username}", e.Message);
        Assert.Contains($"business_discovery.username({username})", e.Message);
        Assert.DoesNotContain(graph.Server.AccessToken, e.Message);
    }

    [Fact]
    public async Task An_invalid_username_is_parked_without_calling_the_api()
    {
        await using var graph = await GraphHarness.Start(World());

        var e = await Assert.ThrowsAsync<GraphAccountUnavailableException>(() => graph.ReadAll("no such){user"));

        Assert.Equal("not a valid Instagram username", e.Reason);
        Assert.Equal(0, graph.Counters.TotalApiCalls);
    }

    [Fact]
    public async Task Server_errors_are_retried_each_through_the_call_budget_and_then_reported_as_transient()
    {
        var gate = new RecordingGate();
        await using var graph = await GraphHarness.Start(World(), settings: new Dictionary<string, string?> { ["OurUserId"] = FakeInstagram.OwnerId }, gate: gate);
        graph.Server.FailNext(FakeFailure.ServerError, 2);

        Assert.Equal(3, (await graph.ReadAll("shop_anna")).Count);
        Assert.Equal(3, graph.Counters.Calls(FakeGraphCounters.BusinessDiscovery));
        Assert.Equal(3, gate.ContinuesRead.Count); // Meta counts every attempt against the rate limit, so the budget must too

        graph.Server.FailNext(FakeFailure.ServerError, 3);
        var e = await Assert.ThrowsAsync<GraphTransientException>(() => graph.ReadAll("shop_anna"));
        Assert.Equal(SourceFailureDisposition.Retry, e.Disposition);
        Assert.Equal(500, e.HttpStatus);
        Assert.Contains("@shop_anna", e.Message);
        Assert.Contains("code 2", e.Message);
    }

    [Fact]
    public async Task Every_attempt_is_counted_by_outcome_with_the_usage_Meta_reported()
    {
        using var metrics = new RecordedMetrics(GraphMetrics.Meter);
        var fake = new FakeGraphOptions { CallBudget = 2 }; // a 500 is not counted
        await using var graph = await GraphHarness.Start(World(), fake, new Dictionary<string, string?> { ["OurUserId"] = FakeInstagram.OwnerId });
        graph.Server.FailNext(FakeFailure.ServerError);

        await graph.ReadAll("shop_anna"); // a 500, then its retry answers
        await graph.ReadAll("shop_anna"); // the budget's last call
        await Assert.ThrowsAsync<GraphRateLimitedException>(() => graph.ReadAll("shop_anna"));

        Assert.Equal((1, 2, 1, 4), (metrics.Sum("vitrina.instagram.calls", "outcome", "retried"), metrics.Sum("vitrina.instagram.calls", "outcome", "ok"),
            metrics.Sum("vitrina.instagram.calls", "outcome", "rate_limited"), metrics.Sum("vitrina.instagram.calls")));
        Assert.Equal(graph.Counters.TotalApiCalls, (int)metrics.Sum("vitrina.instagram.calls"));
        Assert.Equal(100, metrics.Last("vitrina.instagram.usage", "limit", "app"));
    }

    [Fact]
    public async Task An_answer_too_big_to_build_is_asked_again_in_smaller_pages_not_retried_as_it_was()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var published = world.AddPosts("shop_anna", 20);
        await using var graph = await GraphHarness.Start(world, new FakeGraphOptions { MostMediaPerAnswer = 7 },
            new Dictionary<string, string?> { ["OurUserId"] = FakeInstagram.OwnerId });

        var posts = await graph.ReadAll("shop_anna");

        Assert.Equal(published.Reverse().Select(p => p.Id), posts.Select(p => p.PostId));
        // 25 and 12 refused once each (a transient retry of the same size would be refused again), then 6 + 6 + 6 + 2.
        Assert.Equal(6, graph.Counters.Calls(FakeGraphCounters.BusinessDiscovery));

        await using var hopeless = await GraphHarness.Start(world, new FakeGraphOptions { MostMediaPerAnswer = 0 },
            new Dictionary<string, string?> { ["OurUserId"] = FakeInstagram.OwnerId });
        var e = await Assert.ThrowsAsync<GraphTransientException>(() => hopeless.ReadAll("shop_anna"));
        Assert.Contains("reduce the amount of data", e.Message);
        Assert.Equal(5, hopeless.Counters.Calls(FakeGraphCounters.BusinessDiscovery)); // 25, 12, 6, 3, 1
    }

    [Fact]
    public async Task Html_pages_and_broken_json_are_transient_and_say_what_came_back()
    {
        await using var graph = await GraphHarness.Start(World(), settings: new Dictionary<string, string?> { ["OurUserId"] = FakeInstagram.OwnerId });

        graph.Server.FailNext(FakeFailure.HtmlPage, 3);
        var html = await Assert.ThrowsAsync<GraphTransientException>(() => graph.ReadAll("shop_anna"));
        Assert.Contains("an HTML page", html.Message);
        Assert.Contains("Sorry, something went wrong", html.Message);
        Assert.Contains("HTTP 502", html.Message);
        Assert.Contains($"{graph.Server.BaseUrl}v21.0/{FakeInstagram.OwnerId}?fields=business_discovery", html.Message);
        Assert.DoesNotContain("access_token", html.Message);

        graph.Server.FailNext(FakeFailure.MalformedJson);
        var broken = await Assert.ThrowsAsync<GraphTransientException>(() => graph.ReadAll("shop_anna"));
        Assert.Contains("malformed JSON", broken.Message);
        Assert.Contains("HTTP 200", broken.Message);
        Assert.Contains("@shop_anna", broken.Message);
    }

    [Fact]
    public async Task A_call_that_does_not_answer_in_time_is_transient()
    {
        var fake = new FakeGraphOptions { SlowDelay = TimeSpan.FromSeconds(10) };
        await using var graph = await GraphHarness.Start(World(), fake, new Dictionary<string, string?>
        {
            ["OurUserId"] = FakeInstagram.OwnerId, ["AttemptTimeout"] = "00:00:00.200", ["TransientRetries"] = "1",
        });
        graph.Server.FailNext(FakeFailure.Slow, 2);
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<GraphTransientException>(() => graph.ReadAll("shop_anna"));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(350), TimeSpan.FromSeconds(5));
        Assert.Contains("did not answer", e.Message);
        Assert.Contains("2 attempt(s)", e.Message);
        Assert.Null(e.HttpStatus);
    }

    [Theory]
    [InlineData(4, 403)]
    [InlineData(80002, 400)]
    [InlineData(368, 400)] // "temporarily blocked for policies violations": Meta says to wait and retry, not to give up
    public async Task A_rate_limit_is_not_retried_and_says_when_to_come_back(int code, int status)
    {
        var fake = new FakeGraphOptions { CallBudget = 3, RateLimitCode = code };
        var world = World();
        world.AddPosts("shop_anna", 20);
        var gate = new RecordingGate();
        await using var graph = await GraphHarness.Start(world, fake, new Dictionary<string, string?> { ["PageSize"] = "5" }, gate: gate);

        var e = await Assert.ThrowsAsync<GraphRateLimitedException>(() => graph.ReadAll("shop_anna"));

        Assert.Equal(SourceFailureDisposition.Retry, e.Disposition);
        Assert.Equal(code, e.Error?.Code);
        Assert.Equal(status, e.HttpStatus);
        Assert.InRange(e.RetryAfter, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60)); // the oldest call leaves the hour's window
        Assert.Equal(1, graph.Counters.RateLimitErrors);
        Assert.Equal(4, graph.Counters.TotalApiCalls);
        Assert.Contains("rate limited", e.Message);
        Assert.Equal(100, graph.Client.Usage.MaxPercent);
        // The cluster-wide budget hears of it: that is what holds every other account's calls back.
        Assert.Equal([e.RetryAfter], gate.RateLimits);
        Assert.Equal(100, gate.Usages[^1].MaxPercent);
    }

    private static FakeInstagram World()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        world.AddPosts("shop_anna", 3);
        return world;
    }
}
