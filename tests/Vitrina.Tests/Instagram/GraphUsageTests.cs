using Vitrina.FakeGraphApi;
using Vitrina.Grains.Sources.Instagram;

namespace Vitrina.Tests.Instagram;

public sealed class GraphUsageTests
{
    [Fact]
    public async Task Every_answer_updates_the_usage_from_both_headers()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        world.AddPosts("shop_anna", 1);
        await using var graph = await GraphHarness.Start(world, new FakeGraphOptions { CallBudget = 10 });

        Assert.Equal(GraphUsage.None, graph.Client.Usage);
        await graph.ReadAll("shop_anna"); // /me and one page
        Assert.Equal(new GraphUsage(20, 20, null), graph.Client.Usage);

        for (var i = 0; i < 3; i++)
        {
            await graph.ReadAll("shop_anna");
        }

        Assert.Equal(50, graph.Client.Usage.MaxPercent);
        for (var i = 0; i < 3; i++)
        {
            await graph.ReadAll("shop_anna");
        }

        Assert.Equal(80, graph.Client.Usage.MaxPercent);
        await graph.ReadAll("shop_anna");
        Assert.Equal(90, graph.Client.Usage.MaxPercent);
        Assert.Equal(graph.Client.Usage, graph.Source.Usage);
    }

    [Fact]
    public void Headers_are_read_as_the_highest_share_and_the_longest_wait()
    {
        var usage = GraphUsage.Parse(
            "{\"call_count\":12,\"total_cputime\":40,\"total_time\":7}",
            "{\"1784\":[{\"type\":\"instagram\",\"call_count\":55,\"total_cputime\":\"61\",\"total_time\":3,\"estimated_time_to_regain_access\":0}]," +
            "\"1785\":[{\"type\":\"instagram\",\"call_count\":100,\"total_cputime\":9,\"total_time\":9,\"estimated_time_to_regain_access\":17}]}");

        Assert.Equal(new GraphUsage(40, 100, TimeSpan.FromMinutes(17)), usage);
        Assert.Null(GraphUsage.Parse("not json", null)); // says nothing, rather than 0 % over a reading of 95 %
        Assert.Equal(new GraphUsage(40, 0, null), GraphUsage.Parse("{\"total_cputime\":40}", "not json"));
    }

    [Fact]
    public void Options_never_print_the_token()
    {
        var options = new InstagramOptions { AccessToken = "EAAB-very-secret" };

        Assert.DoesNotContain("very-secret", options.ToString());
        Assert.Equal(12, options.TokenFingerprint!.Length);
        Assert.NotEqual(options.TokenFingerprint, new InstagramOptions { AccessToken = "another" }.TokenFingerprint);
        Assert.Equal("GET https://x/y?fields=id&access_token=*** ***",
            GraphRedaction.Redact("GET https://x/y?fields=id&access_token=EAAB-very-secret EAAB-very-secret", options.AccessToken));
    }
}
