using System.Net;
using System.Text.Json;
using Vitrina.FakeGraphApi;

namespace Vitrina.Tests.Instagram;

/// <summary>The fake answers as the documented API does, so that the client tests against it mean something.</summary>
public sealed class FakeGraphServerTests
{
    [Fact]
    public async Task Business_discovery_returns_only_the_requested_fields_with_cursors()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        world.AddPosts("shop_anna", 3);
        await using var server = await FakeGraphServer.Start(world);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };

        var answer = await Get(http, $"v21.0/{FakeInstagram.OwnerId}?fields={Uri.EscapeDataString("business_discovery.username(shop_anna){media.limit(2){id,caption}}")}&access_token={server.AccessToken}");

        var media = answer.RootElement.GetProperty("business_discovery").GetProperty("media");
        Assert.Equal(2, media.GetProperty("data").GetArrayLength());
        Assert.All(media.GetProperty("data").EnumerateArray(), m => Assert.Equal(["id", "caption"], m.EnumerateObject().Select(p => p.Name)));
        var cursors = media.GetProperty("paging").GetProperty("cursors");
        Assert.True(cursors.TryGetProperty("before", out _));
        Assert.True(cursors.TryGetProperty("after", out _));
        Assert.Equal(FakeInstagram.OwnerId, answer.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Errors_follow_the_graph_shape()
    {
        await using var server = await FakeGraphServer.Start();
        using var http = new HttpClient { BaseAddress = server.BaseUrl };

        var badToken = await http.GetAsync("v21.0/me?fields=id&access_token=nope");
        var unknownField = await http.GetAsync($"v21.0/me?fields=id,colour&access_token={server.AccessToken}");
        var badSyntax = await http.GetAsync($"v21.0/me?fields=business_discovery.username(x{{&access_token={server.AccessToken}");

        Assert.Equal(HttpStatusCode.BadRequest, badToken.StatusCode);
        Assert.Equal(190, await Code(badToken));
        Assert.Equal(100, await Code(unknownField));
        Assert.Equal(2500, await Code(badSyntax));
        Assert.True(unknownField.Headers.Contains("X-App-Usage"));
        Assert.True(unknownField.Headers.Contains("X-Business-Use-Case-Usage"));
    }

    [Fact]
    public async Task The_media_edge_gives_next_links_that_carry_the_token_like_the_real_one()
    {
        var world = new FakeInstagram();
        world.AddPosts(FakeInstagram.OwnerUsername, 5);
        await using var server = await FakeGraphServer.Start(world);
        using var http = new HttpClient { BaseAddress = server.BaseUrl };

        var first = await Get(http, $"v21.0/{FakeInstagram.OwnerId}/media?fields=id&limit=3&access_token={server.AccessToken}"); // our Instagram id: /me is the Facebook user
        var next = first.RootElement.GetProperty("paging").GetProperty("next").GetString()!;
        var second = await Get(http, next);

        Assert.Contains("access_token=", next);
        Assert.Equal(2, second.RootElement.GetProperty("data").GetArrayLength());
        Assert.False(second.RootElement.GetProperty("paging").TryGetProperty("next", out _));
    }

    [Fact]
    public void Generated_worlds_are_repeatable()
    {
        var world = FakeInstagram.Generate(new FakeWorldShape { Accounts = 5000 }, seed: 7);
        var again = FakeInstagram.Generate(new FakeWorldShape { Accounts = 5000 }, seed: 7);

        Assert.Equal(5001, world.AccountCount); // and our own
        var shop = world.FindAccount(FakeWorldShape.Username(1234))!;
        var media = shop.Media;
        Assert.Equal(media.Select(m => (m.Id, m.MediaType, m.Caption, m.Timestamp)),
            again.FindAccount(FakeWorldShape.Username(1234))!.Media.Select(m => (m.Id, m.MediaType, m.Caption, m.Timestamp)));
        Assert.InRange(media.Count, 5, 60);
        Assert.NotNull(again.FindMedia(again.FindAccount(FakeWorldShape.Username(99))!.Media[0].Id));
        Assert.Contains(Enumerable.Range(0, 5000).Select(i => world.FindAccount(FakeWorldShape.Username(i))!.Kind), k => k != FakeAccountKind.Business);
    }

    private static async Task<JsonDocument> Get(HttpClient http, string url)
    {
        var response = await http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body);
    }

    private static async Task<int> Code(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("error").GetProperty("code").GetInt32();
    }
}
