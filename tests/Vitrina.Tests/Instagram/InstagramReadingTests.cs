using Vitrina.FakeGraphApi;
using Vitrina.Grains.Sources;
using Vitrina.Grains.Sources.Instagram;

namespace Vitrina.Tests.Instagram;

public sealed class InstagramReadingTests
{
    private static readonly Dictionary<string, string?> PagesOfTen = new() { ["PageSize"] = "10" };

    [Fact]
    public async Task Pages_are_followed_to_the_last_cursor_newest_first()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var published = world.AddPosts("shop_anna", 25);
        var gate = new RecordingGate();
        await using var graph = await GraphHarness.Start(world, settings: PagesOfTen, gate: gate);

        var posts = await graph.ReadAll("shop_anna");

        Assert.Equal(published.Reverse().Select(p => p.Id), posts.Select(p => p.PostId));
        Assert.Equal(3, graph.Counters.Calls(FakeGraphCounters.BusinessDiscovery));
        Assert.Equal(1, graph.Counters.Calls(FakeGraphCounters.Me));
        // Every call passed the gate; the pages after the first as a read under way, which the budget lets wait longer.
        Assert.Equal([false, false, true, true], gate.ContinuesRead);
        Assert.All(posts, p =>
        {
            Assert.Equal(p.PostId, Assert.Single(p.Images).MediaId);
            Assert.StartsWith("https://www.instagram.com/p/", p.Permalink);
            Assert.NotNull(p.PostedAt);
            Assert.StartsWith("post ", p.Caption);
        });
        Assert.True(posts.Zip(posts.Skip(1)).All(pair => pair.First.PostedAt > pair.Second.PostedAt));
    }

    [Fact]
    public async Task A_carousel_is_one_post_with_an_image_per_child_and_its_video_skipped()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var carousel = world.AddCarousel("shop_anna", FakeMedia.Image, FakeMedia.Video, FakeMedia.Image);
        await using var graph = await GraphHarness.Start(world);

        var post = Assert.Single(await graph.ReadAll("shop_anna"));

        Assert.Equal(carousel.Id, post.PostId);
        Assert.Equal([carousel.Children[0].Id, carousel.Children[2].Id], post.Images.Select(i => i.MediaId));
        Assert.Equal(new SkippedMedia(carousel.Children[1].Id, "video"), Assert.Single(post.Skipped));
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(post.Images[0].Location);
        Assert.Equal([0xFF, 0xD8], bytes[..2]); // a JPEG
    }

    [Fact]
    public async Task Videos_are_skipped_by_default_or_read_as_their_cover_frame()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var video = world.AddPost("shop_anna", FakeMedia.Video);
        var reel = world.AddCarousel("shop_anna", FakeMedia.Video, FakeMedia.Image);

        await using (var skipping = await GraphHarness.Start(world))
        {
            var posts = await skipping.ReadAll("shop_anna");
            Assert.Equal([reel.Id, video.Id], posts.Select(p => p.PostId));
            Assert.Equal([reel.Children[1].Id], posts[0].Images.Select(i => i.MediaId));
            Assert.Empty(posts[1].Images);
            Assert.Equal("video", Assert.Single(posts[1].Skipped).Reason);
        }

        await using var thumbnails = await GraphHarness.Start(world, settings: new Dictionary<string, string?> { ["Videos"] = "Thumbnail" });
        var withCovers = await thumbnails.ReadAll("shop_anna");
        Assert.Equal([reel.Children[0].Id, reel.Children[1].Id], withCovers[0].Images.Select(i => i.MediaId));
        var cover = Assert.Single(withCovers[1].Images);
        Assert.Equal(video.Id, cover.MediaId);
        Assert.EndsWith(".jpg", cover.Location.AbsolutePath);
        Assert.Empty(withCovers[1].Skipped);
    }

    [Fact]
    public async Task Media_without_a_link_is_recorded_as_skipped_and_does_not_stop_the_read()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var fine = world.AddPost("shop_anna");
        var withheld = world.AddPost("shop_anna", hasMediaUrl: false);
        await using var graph = await GraphHarness.Start(world);

        var posts = await graph.ReadAll("shop_anna");

        Assert.Equal([withheld.Id, fine.Id], posts.Select(p => p.PostId));
        Assert.Empty(posts[0].Images);
        Assert.Contains("media_url", Assert.Single(posts[0].Skipped).Reason);
        Assert.Single(posts[1].Images);
    }

    [Fact]
    public async Task An_unchanged_account_costs_one_call_and_new_posts_stop_the_read_at_the_first_seen_post()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        world.AddPosts("shop_anna", 8);
        await using var graph = await GraphHarness.Start(world, settings: PagesOfTen);
        var seen = (await graph.ReadAll("shop_anna")).Select(p => p.PostId).ToHashSet();
        graph.Counters.Reset();

        Assert.Empty(await graph.ReadNew("shop_anna", seen));
        Assert.Equal(1, graph.Counters.TotalApiCalls);

        world.AddPosts("shop_anna", 30);
        var all = world.FindAccount("shop_anna")!.Media.Select(m => m.Id).ToList();
        seen = all.Skip(3).ToHashSet(); // the 3 newest are new; 35 seen posts lie on pages 1-4
        graph.Counters.Reset();

        var fresh = await graph.ReadNew("shop_anna", seen);

        Assert.Equal(all.Take(3), fresh.Select(p => p.PostId));
        Assert.Equal(1, graph.Counters.TotalApiCalls);
    }

    [Fact]
    public async Task A_seen_post_above_new_ones_does_not_stop_the_read_before_a_page_ends_on_seen_posts()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        world.AddPosts("shop_anna", 30);
        var all = world.FindAccount("shop_anna")!.Media.Select(m => m.Id).ToList(); // newest first
        // The newest post is seen (pinned to the top, or finished before older ones), 24 below it are new, and the
        // oldest 5 are seen: pages 1 and 2 hold new posts under the seen one, page 3 ends on seen posts.
        var seen = all.Take(1).Concat(all.TakeLast(5)).ToHashSet();
        await using var graph = await GraphHarness.Start(world, settings: PagesOfTen);

        var fresh = await graph.ReadNew("shop_anna", seen);

        Assert.Equal(all.Skip(1).Take(24), fresh.Select(p => p.PostId));
        Assert.Equal(3, graph.Counters.Calls(FakeGraphCounters.BusinessDiscovery));
    }

    [Fact]
    public async Task Pinned_posts_filling_a_small_page_do_not_stop_the_read_before_the_new_posts_under_them()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        world.AddPosts("shop_anna", 12);
        var all = world.FindAccount("shop_anna")!.Media.Select(m => m.Id).ToList(); // newest first
        // The top three are seen (as pinned posts are), five new ones follow, then the four oldest, seen.
        var seen = all.Take(3).Concat(all.TakeLast(4)).ToHashSet();
        await using var graph = await GraphHarness.Start(world, settings: new Dictionary<string, string?> { ["PageSize"] = "2" });

        var fresh = await graph.ReadNew("shop_anna", seen);

        Assert.Equal(all.Skip(3).Take(5), fresh.Select(p => p.PostId));
        Assert.Equal(5, graph.Counters.Calls(FakeGraphCounters.BusinessDiscovery)); // pages 1-4, and page 5 ends on a seen post

        var allSeen = all.ToHashSet();
        await using var quiet = await GraphHarness.Start(world, settings: new Dictionary<string, string?> { ["PageSize"] = "2" });
        Assert.Empty(await quiet.ReadNew("shop_anna", allSeen));
        Assert.Equal(2, quiet.Counters.Calls(FakeGraphCounters.BusinessDiscovery)); // past the three a profile can pin, no further
    }

    [Fact]
    public async Task A_cursor_whose_post_was_deleted_fails_the_read_for_a_retry_instead_of_parking_the_account()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var published = world.AddPosts("shop_anna", 25).Reverse().ToList(); // newest first
        await using var graph = await GraphHarness.Start(world, settings: PagesOfTen);

        var read = 0;
        var e = await Assert.ThrowsAsync<GraphTransientException>(async () =>
        {
            await foreach (var _ in graph.Source.ReadPosts("shop_anna", GraphHarness.Account("shop_anna"), CancellationToken.None))
            {
                if (++read == 10)
                {
                    world.DeletePost(published[9].Id); // the post the next page's cursor names: Meta invalidates that cursor
                }
            }
        });

        Assert.Equal(SourceFailureDisposition.Retry, e.Disposition);
        Assert.Contains("no longer valid", e.Message);
        Assert.Equal(10, read);
    }

    [Fact]
    public async Task Deleted_posts_vanish_even_while_an_account_is_being_paged()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        var published = world.AddPosts("shop_anna", 30).Reverse().ToList();
        world.DeletePost(published[4].Id);
        await using var graph = await GraphHarness.Start(world, settings: PagesOfTen);

        var read = new List<string>();
        await foreach (var post in graph.Source.ReadPosts("shop_anna", GraphHarness.Account("shop_anna"), CancellationToken.None))
        {
            read.Add(post.PostId);
            if (read.Count == 10)
            {
                // Between pages: one already read, one on the page the cursor points to next.
                world.DeletePost(published[2].Id);
                world.DeletePost(published[15].Id);
            }
        }

        Assert.Equal(published.Select(p => p.Id).Where(id => id != published[4].Id && id != published[15].Id), read);
    }

    [Fact]
    public async Task Our_own_account_is_read_through_its_media_edge_following_next_links()
    {
        var world = new FakeInstagram();
        var published = world.AddPosts(FakeInstagram.OwnerUsername, 15);
        await using var graph = await GraphHarness.Start(world, settings: PagesOfTen);

        var posts = await graph.ReadAll("me");

        Assert.Equal(published.Reverse().Select(p => p.Id), posts.Select(p => p.PostId));
        Assert.Equal(2, graph.Counters.Calls(FakeGraphCounters.MediaEdge));
        Assert.Equal(1, graph.Counters.Calls(FakeGraphCounters.Me));
        Assert.Equal(0, graph.Counters.Calls(FakeGraphCounters.BusinessDiscovery));
    }

    [Fact]
    public async Task A_configured_user_id_saves_the_me_call_and_the_looked_up_one_is_asked_once()
    {
        var world = new FakeInstagram();
        world.AddAccount("shop_anna");
        world.AddPosts("shop_anna", 2);
        await using (var configured = await GraphHarness.Start(world, settings: new Dictionary<string, string?> { ["OurUserId"] = FakeInstagram.OwnerId }))
        {
            await configured.ReadAll("shop_anna");
            Assert.Equal(0, configured.Counters.Calls(FakeGraphCounters.Me));
        }

        await using var looked = await GraphHarness.Start(world);
        await looked.ReadAll("shop_anna");
        await looked.ReadAll("shop_anna");
        Assert.Equal(1, looked.Counters.Calls(FakeGraphCounters.Me));
        Assert.Equal(FakeInstagram.OwnerId, await looked.Client.OurUserId(CancellationToken.None));
    }
}
