using System.Text.Json;
using Vitrina.Client.Commands;
using Vitrina.FakeGraphApi;
using Vitrina.Tests.Support;

namespace Vitrina.Tests.Instagram;

public sealed class InstagramCliTests
{
    [Fact]
    public async Task Fetch_prints_a_json_line_per_image_with_carousels_expanded_and_videos_skipped()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var single = world.AddPost("shop_anna", caption: "red dress");
        var video = world.AddPost("shop_anna", FakeMedia.Video);
        var carousel = world.AddCarousel("shop_anna", FakeMedia.Image, FakeMedia.Video, FakeMedia.Image);
        await using var server = await FakeGraphServer.Start(world);
        using var work = new TempFolder();

        var result = await CliRunner.Run(work.Path, Token(server.AccessToken), "instagram", "fetch", "shop_anna", "--base-url", server.BaseUrl.ToString(), "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        var rows = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([carousel.Children[0].Id, carousel.Children[2].Id, single.Id], rows.Select(r => r.GetProperty("mediaId").GetString()));
        Assert.Equal([carousel.Id, carousel.Id, single.Id], rows.Select(r => r.GetProperty("postId").GetString()));
        Assert.Equal("red dress", rows[2].GetProperty("caption").GetString());
        Assert.StartsWith(server.BaseUrl + "cdn/", rows[2].GetProperty("imageUrl").GetString());
        Assert.StartsWith("https://www.instagram.com/p/", rows[2].GetProperty("permalink").GetString());
        Assert.True(rows[2].TryGetProperty("timestamp", out _));
        Assert.Contains($"skipped {video.Id}/{video.Id}: video", result.Error);
        Assert.DoesNotContain(server.AccessToken, result.Output + result.Error);
    }

    [Fact]
    public async Task Fetch_without_json_prints_a_table_of_at_most_limit_posts()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var older = world.AddPost("shop_anna");
        var newer = world.AddPost("shop_anna");
        await using var server = await FakeGraphServer.Start(world);
        using var work = new TempFolder();

        var result = await CliRunner.Run(work.Path, Token(server.AccessToken), "instagram", "fetch", "shop_anna", "--base-url", server.BaseUrl.ToString(), "--limit", "1");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(result.Output.Contains("media id"), result.Output);
        Assert.True(result.Output.Contains(newer.Id), result.Output);
        Assert.DoesNotContain(older.Id, result.Output);
        Assert.Contains("1 post(s)", result.Error);
    }

    [Fact]
    public async Task Fetch_with_a_bad_token_fails_naming_the_account_but_not_the_token()
    {
        const string secret = "EAAB-cli-secret";
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        await using var server = await FakeGraphServer.Start(world);
        using var work = new TempFolder();

        var result = await CliRunner.Run(work.Path, Token(secret), "instagram", "fetch", "shop_anna", "--base-url", server.BaseUrl.ToString());

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("@shop_anna", result.Error);
        Assert.Contains("access token was rejected", result.Error);
        Assert.DoesNotContain(secret, result.Output + result.Error);
    }

    /// <summary>The token goes to the CLI as operators give it: in the environment, never on its command line.</summary>
    private static Dictionary<string, string> Token(string token) => new() { [InstagramCommands.TokenVariable] = token };
}
