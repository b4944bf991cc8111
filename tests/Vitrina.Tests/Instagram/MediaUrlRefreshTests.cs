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
}
