using System.Net;
using Vitrina.FakeGraphApi;

namespace Vitrina.Tests.Instagram;

public sealed class MediaUrlRefreshTests
{
    [Fact]
    public async Task An_expired_image_link_is_replaced_by_a_fresh_working_one()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var carousel = world.AddCarousel("shop_anna", FakeMedia.Image, FakeMedia.Image);
        await using var graph = await GraphHarness.Start(world);
        var image = (await graph.ReadAll("shop_anna"))[0].Images[1];
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(image.Location)).StatusCode);

        world.Clock.Advance(TimeSpan.FromHours(7));
        var expired = await http.GetAsync(image.Location);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal("URL signature expired", await expired.Content.ReadAsStringAsync());

        var fresh = await graph.Client.RefreshMediaUrl(image.MediaId, CancellationToken.None);

        Assert.Equal(carousel.Children[1].Id, image.MediaId);
        Assert.NotNull(fresh);
        Assert.NotEqual(image.Location, fresh);
        var bytes = await http.GetByteArrayAsync(fresh);
        Assert.Equal([0xFF, 0xD8], bytes[..2]);
        Assert.Equal(1, graph.Counters.ExpiredImageLinks);
        Assert.Equal(1, graph.Counters.Calls(FakeGraphCounters.Node));
    }

    [Fact]
    public async Task A_video_refreshes_to_its_cover_frame_and_deleted_media_to_nothing()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var video = world.AddPost("shop_anna", FakeMedia.Video);
        var gone = world.AddPost("shop_anna");
        world.DeletePost(gone.Id);
        await using var graph = await GraphHarness.Start(world);

        var cover = await graph.Client.RefreshMediaUrl(video.Id, CancellationToken.None);

        Assert.EndsWith($"{video.Id}.jpg", cover!.AbsolutePath);
        Assert.Null(await graph.Client.RefreshMediaUrl(gone.Id, CancellationToken.None));
        Assert.Null(await graph.Client.RefreshMediaUrl("../../me", CancellationToken.None));
    }
}
