using System.Net;
using Vitrina.FakeGraphApi;
using Vitrina.Grains.Sources.Instagram;

namespace Vitrina.Tests.Instagram;

public sealed class MediaUrlRefreshTests
{
    [Fact]
    public async Task An_expired_link_of_another_shop_is_found_again_in_its_list_and_the_list_serves_its_other_photos()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var carousel = world.AddCarousel("shop_anna", FakeMedia.Image, FakeMedia.Image);
        world.AddPosts("shop_anna", 30); // the carousel is on the second page of 25
        await using var graph = await GraphHarness.Start(world);
        var image = (await graph.ReadAll("shop_anna"))[^1].Images[1];
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(image.Location)).StatusCode);

        world.Clock.Advance(TimeSpan.FromHours(7));
        var expired = await http.GetAsync(image.Location);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal("URL signature expired", await expired.Content.ReadAsStringAsync());
        graph.Counters.Reset();

        var fresh = await graph.Client.RefreshMediaUrl(image.MediaId, "shop_anna", CancellationToken.None);

        Assert.Equal(carousel.Children[1].Id, image.MediaId);
        Assert.NotNull(fresh);
        Assert.NotEqual(image.Location, fresh);
        Assert.Equal([0xFF, 0xD8], (await http.GetByteArrayAsync(fresh))[..2]);
        // Our token cannot read another shop's media by id (the fake answers 100/33, as Meta does): its list is read.
        Assert.Equal(0, graph.Counters.Calls(FakeGraphCounters.Node));
        Assert.Equal(2, graph.Counters.Calls(FakeGraphCounters.BusinessDiscovery));

        var sibling = await graph.Client.RefreshMediaUrl(carousel.Children[0].Id, "shop_anna", CancellationToken.None);
        Assert.Equal([0xFF, 0xD8], (await http.GetByteArrayAsync(sibling))[..2]);
        Assert.Equal(2, graph.Counters.TotalApiCalls); // from the list just read
    }

    [Fact]
    public async Task Our_own_media_is_read_by_id_a_video_refreshes_to_its_cover_and_deleted_media_to_nothing()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var ours = world.AddPost(FakeInstagram.OwnerUsername);
        var video = world.AddPost("shop_anna", FakeMedia.Video);
        var gone = world.AddPost("shop_anna");
        world.DeletePost(gone.Id);
        await using var graph = await GraphHarness.Start(world);

        var own = await graph.Client.RefreshMediaUrl(ours.Id, GraphApiClient.OwnAccount, CancellationToken.None);
        Assert.NotNull(own);
        Assert.Equal((1, 0), (graph.Counters.Calls(FakeGraphCounters.Node), graph.Counters.Calls(FakeGraphCounters.BusinessDiscovery)));
        var another = world.AddPost("shop_anna");
        Assert.Null(await graph.Client.RefreshMediaUrl(another.Id, GraphApiClient.OwnAccount, CancellationToken.None)); // not ours

        var cover = await graph.Client.RefreshMediaUrl(video.Id, "shop_anna", CancellationToken.None);
        Assert.EndsWith($"{video.Id}.jpg", cover!.AbsolutePath);
        Assert.Null(await graph.Client.RefreshMediaUrl(gone.Id, "shop_anna", CancellationToken.None));
        var calls = graph.Counters.TotalApiCalls;
        Assert.Null(await graph.Client.RefreshMediaUrl(gone.Id, "shop_anna", CancellationToken.None));
        Assert.Equal(calls, graph.Counters.TotalApiCalls); // the whole list was read lately: gone without asking again
        Assert.Null(await graph.Client.RefreshMediaUrl("../../me", "shop_anna", CancellationToken.None));
    }

    [Fact]
    public async Task Refreshes_of_one_shop_at_once_share_one_reading_of_its_list_and_a_gone_photo_does_not_pass_for_the_others()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var posts = world.AddPosts("shop_anna", 30).Reverse().ToList(); // newest first: pages of ten are 0-9, 10-19, 20-29
        world.DeletePost(posts[3].Id);
        await using var graph = await GraphHarness.Start(world, settings: new Dictionary<string, string?> { ["PageSize"] = "10" });

        // As retraining asks: photos of one shop at once, a deleted one among them, the live ones on every page.
        var wanted = new[] { posts[3].Id, posts[25].Id, posts[1].Id, posts[14].Id, posts[29].Id, posts[9].Id };
        var links = await Task.WhenAll(wanted.Select(id => graph.Client.RefreshMediaUrl(id, "shop_anna", CancellationToken.None)));

        Assert.Null(links[0]);
        Assert.All(links.Skip(1), Assert.NotNull);
        Assert.All(wanted.Skip(1).Zip(links.Skip(1)), pair => Assert.Contains($"/cdn/{pair.First}.", pair.Second!.AbsolutePath));
        // One reading of three pages (and /me once), not one per photo.
        Assert.Equal(3, graph.Counters.Calls(FakeGraphCounters.BusinessDiscovery));
    }
}
