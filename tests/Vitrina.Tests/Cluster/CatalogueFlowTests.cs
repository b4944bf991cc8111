using Microsoft.Extensions.DependencyInjection;
using Vitrina.Accounts;
using Vitrina.Catalogue;
using Vitrina.Images;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cluster;

public sealed class CatalogueFlowTests
{
    internal static void WritePost(string folder, string post, string colour, int shape, bool sideCar = true)
    {
        using var image = TestImages.Garment(TestImages.Colours[colour], shape, seed: post.GetHashCode());
        File.WriteAllBytes(Path.Combine(folder, $"{post}.jpg"), TestImages.Jpeg(image));
        if (sideCar)
        {
            File.WriteAllText(Path.Combine(folder, $"{post}.json"),
                $$"""{"caption": "new {{colour}} piece", "timestamp": "2026-11-20T10:00:00+03:00", "permalink": "https://instagram.example/p/{{post}}"}""");
        }
    }

    [Fact]
    public async Task Two_accounts_are_catalogued_exactly_once_through_repolls_and_resubmits()
    {
        using var metrics = new RecordedMetrics(Vitrina.Grains.Images.ImageMetrics.Meter);
        await using var database = new TestDatabase();
        using var folders = new TempFolder();
        using var models = new TempFolder();
        var store = new ModelStore(models.Path);
        ModelStoreTests.SaveUntrained(store, "untrained");

        var shopA = Directory.CreateDirectory(folders.Combine("shop_a")).FullName;
        var shopB = Directory.CreateDirectory(folders.Combine("shop_b")).FullName;
        WritePost(shopA, "a1", "Blue", 0);
        WritePost(shopA, "a2", "Black", 1);
        WritePost(shopA, "a3", "Pink", 0, sideCar: false);
        WritePost(shopA, "a4", "Brown", 1);
        File.WriteAllText(Path.Combine(shopA, "a5.jpg"), "this upload is not a photo");
        WritePost(shopB, "b1", "Blue", 1);
        WritePost(shopB, "b2", "Black", 0);
        WritePost(shopB, "b3", "Pink", 1);
        WritePost(shopB, "b4", "Brown", 0);

        await using var cluster = await VitrinaTestCluster.Start(database, models.Path);
        var a = cluster.Client.GetGrain<IAccountGrain>("shop_a");
        var b = cluster.Client.GetGrain<IAccountGrain>("shop_b");
        await a.Onboard(new AccountSource(AccountSource.Folder, shopA));
        await b.Onboard(new AccountSource(AccountSource.Folder, shopB));
        await a.Poll();
        await b.Poll();

        Assert.Equal(9, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
        Assert.Equal(1, await database.Scalar("SELECT count(*) FROM \"{schema}\".items WHERE status = 'Failed' AND error LIKE 'decode: %' AND image_id = 'shop_a/a5'"));
        Assert.Equal(5, (await a.GetStatus()).PostsSeen);
        Assert.Equal(1, (await a.GetStatus()).ImagesFailed);

        // A re-poll finds nothing new, and writes nothing: the state holds every post id the shop ever had. A new post
        // is picked up alone, and written.
        async Task<string?> Stored(IAccountGrain account) => (await cluster.StoredAccount(account)).ETag;

        var written = (await Stored(a), await Stored(b));
        Assert.Equal(0, (await a.Poll()).NewPosts);
        Assert.Equal(0, (await b.Poll()).NewPosts);
        Assert.Equal(written, (await Stored(a), await Stored(b)));
        WritePost(shopB, "b5", "Blue", 0);
        var repoll = await b.Poll();
        Assert.Equal(1, repoll.NewPosts);
        Assert.NotEqual(written.Item2, await Stored(b));
        Assert.Equal(10, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));

        // Re-submitting an image that is already catalogued processes it again into the same row: nothing is counted twice.
        var again = await cluster.Client.GetGrain<IImageGrain>(IImageGrain.Key).Process(new ImageWork
        {
            ImageId = "shop_a/a3", Account = "shop_a", PostId = "a3", Source = new Uri(new Uri(Path.Combine(shopA, "a3.jpg")).AbsoluteUri),
        });
        Assert.True(again.Status != ImageStatus.Failed, again.Error);
        Assert.Equal(10, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
        Assert.Equal(5, await database.Scalar("SELECT count(*) FROM \"{schema}\".items WHERE account = 'shop_a'"));

        var summary = await cluster.Client.GetGrain<ICatalogueGrain>(0).Summary();
        Assert.Equal(9, summary.Catalogued + summary.Moderation);
        Assert.Equal(1, summary.Failed);
        // The photo that is not one failed at its decode, and the metric says where.
        Assert.InRange(metrics.Sum("vitrina.image.processed", "failed_at", "decode"), 1, double.MaxValue);
        Assert.Equal(metrics.Sum("vitrina.image.processed", "status", "Failed"), metrics.Sum("vitrina.image.processed", "failed_at", "decode"));
        Assert.Equal(2, summary.Accounts);
        Assert.Equal(summary.Catalogued, summary.Cells.Sum(c => c.Count));
        Assert.Equal(await database.Scalar("SELECT count(*) FROM \"{schema}\".items WHERE status = 'Catalogued'"), summary.Catalogued);

        var listed = await cluster.Client.GetGrain<ICatalogueGrain>(0).List(new CatalogueQuery { Account = "shop_a", Status = ImageStatus.Failed });
        Assert.Equal("shop_a/a5", Assert.Single(listed).ImageId);
        // The taxonomy head's verdict is kept for moderators on every classified row, on no failed one.
        Assert.Null(listed[0].InTaxonomyProbability);
        Assert.Equal(9, await database.Scalar("SELECT count(*) FROM \"{schema}\".items WHERE in_taxonomy_p > 0 AND in_taxonomy_p < 1"));
        var withCaption = (await cluster.Client.GetGrain<ICatalogueGrain>(0).List(new CatalogueQuery { Account = "shop_b" })).First(i => i.PostId == "b1");
        Assert.Equal("new Blue piece", withCaption.Caption);
        Assert.Equal(TimeSpan.Zero, withCaption.PostedAt!.Value.Offset);

        // Every decoded photo left its thumbnail in the catalogue, which the shelves show after the shop's file is gone.
        Assert.Equal(9, await database.Scalar("SELECT count(*) FROM \"{schema}\".thumbnails"));
        File.Delete(Path.Combine(shopA, "a3.jpg"));
        var thumbnail = await cluster.Client.GetGrain<ICatalogueGrain>(0).Thumbnail("shop_a/a3");
        using var shown = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(thumbnail!.Jpeg!);
        Assert.Equal((96, 96), (shown.Width, shown.Height)); // the photo's size: smaller than a thumbnail, it is not enlarged
    }

    [Fact]
    public async Task Posts_deleted_at_the_shop_leave_the_shelves_and_come_back_if_the_posts_do()
    {
        await using var database = new TestDatabase();
        using var folders = new TempFolder();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        var shop = Directory.CreateDirectory(folders.Combine("shop_w")).FullName;
        var posts = Enumerable.Range(1, 12).Select(i => $"w{i}").ToList();
        posts.ForEach(p => WritePost(shop, p, "Blue", 0));
        void Delete(string post) => Directory.GetFiles(shop, $"{post}.*").ToList().ForEach(File.Delete);

        await using var cluster = await VitrinaTestCluster.Start(database, models.Path,
            new Dictionary<string, string?> { ["Vitrina:Accounts:SweepInterval"] = "00:00:00.001", ["Vitrina:Accounts:PollInterval"] = "10.00:00:00" });
        var account = cluster.Client.GetGrain<IAccountGrain>("shop_w");
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        await account.Onboard(new AccountSource(AccountSource.Folder, shop));
        await account.Poll();
        await catalogue.Label(new ModeratorLabel { ImageId = "shop_w/w1", Colour = "Black", Category = "Bags" });
        async Task<CatalogueItem> Row(string post) => (await catalogue.List(new CatalogueQuery { Account = "shop_w" })).Single(i => i.PostId == post);

        // Sold and deleted: the sweep withdraws them; a moderator's later label waits with the photo.
        Delete("w1");
        Delete("w2");
        await account.Poll();
        Assert.Equal((ImageStatus.Withdrawn, ImageStatus.Withdrawn), ((await Row("w1")).Status, (await Row("w2")).Status));
        await catalogue.Label(new ModeratorLabel { ImageId = "shop_w/w1", Colour = "Gray" });
        Assert.Equal(ImageStatus.Withdrawn, (await Row("w1")).Status);
        var summary = await catalogue.Summary();
        Assert.Equal((2, 10), (summary.Withdrawn, summary.Catalogued + summary.Moderation));
        // The model's withdrawn photo drops its thumbnail (it is filed again if its post returns); the moderator's keeps it.
        Task<long> Thumbnails(string post) => database.Scalar($"SELECT count(*) FROM \"{{schema}}\".thumbnails WHERE image_id = 'shop_w/{post}'");
        Assert.Equal((1, 0), (await Thumbnails("w1"), await Thumbnails("w2")));
        Assert.Equal(0, await catalogue.CountWithoutThumbnails()); // a post gone from the shop has no photo to fetch again
        var status = await account.GetStatus();
        Assert.Equal((2, 10), (status.PostsWithdrawn, status.PostsSeen));
        Assert.Equal(0, (await account.Poll()).NewPosts);

        // Back from the archive: filed again, the moderator's labels kept.
        WritePost(shop, "w1", "Blue", 0);
        WritePost(shop, "w2", "Blue", 0);
        Assert.Equal(2, (await account.Poll()).NewPosts);
        var w1 = await Row("w1");
        Assert.Equal((ImageStatus.Catalogued, "Gray", "Bags", ModeratorLabel.Source), (w1.Status, w1.Colour, w1.Category, w1.ModelVersion));
        Assert.Contains((await Row("w2")).Status, new[] { ImageStatus.Catalogued, ImageStatus.Moderation });
        Assert.Equal((1, 1), (await Thumbnails("w1"), await Thumbnails("w2")));
        Assert.Equal(12, (await account.GetStatus()).PostsSeen);
        Assert.Equal(0, (await catalogue.Summary()).Withdrawn);

        // Ten of twelve gone at once: withdrawn only when a second reading agrees.
        posts.Skip(2).ToList().ForEach(Delete);
        await account.Poll();
        Assert.Equal(0, (await catalogue.Summary()).Withdrawn);
        await account.Poll();
        Assert.Equal(10, (await catalogue.Summary()).Withdrawn);
        Assert.Equal(12, (await account.GetStatus()).PostsWithdrawn);
        Assert.Equal(12, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));

        // The catalogue database refuses the withdrawal: the poll fails and files nothing; the next one withdraws.
        await database.Scalar("""
            CREATE FUNCTION "{schema}".refuse_withdrawal() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'test: withdrawal refused'; END $$;
            CREATE TRIGGER refuse_withdrawal BEFORE UPDATE ON "{schema}".items
                FOR EACH ROW WHEN (NEW.status = 'Withdrawn') EXECUTE FUNCTION "{schema}".refuse_withdrawal();
            """);
        Delete("w2");
        var refused = await account.Poll();
        Assert.Contains("withdrawing or reinstating catalogue photos failed", refused.Error);
        Assert.Contains("withdrawal refused", refused.Error);
        var failing = await account.GetStatus();
        Assert.Equal(AccountState.Failing, failing.State);
        Assert.True(failing.LastSuccessfulPoll < failing.LastPoll, "a failed poll counted as the last good one"); // how stale the shelf is
        Assert.NotEqual(ImageStatus.Withdrawn, (await Row("w2")).Status);
        await database.Scalar("DROP TRIGGER refuse_withdrawal ON \"{schema}\".items");
        Assert.Null((await account.Poll()).Error);
        var recovered = await account.GetStatus();
        Assert.Equal(recovered.LastPoll, recovered.LastSuccessfulPoll);
        Assert.Equal(ImageStatus.Withdrawn, (await Row("w2")).Status);
        Assert.Equal((AccountState.Active, 13), ((await account.GetStatus()).State, (await account.GetStatus()).PostsWithdrawn));

        // A removal whose withdrawal the database refuses fails after removing the account, and says to run it again:
        // its photos stay on the shelves meanwhile. (Withdrawn first, a removal failing afterwards left a polling
        // account whose posts were all seen and all withdrawn: an empty shelf for good.)
        await database.Scalar("""
            CREATE TRIGGER refuse_withdrawal BEFORE UPDATE ON "{schema}".items
                FOR EACH ROW WHEN (NEW.status = 'Withdrawn') EXECUTE FUNCTION "{schema}".refuse_withdrawal();
            """);
        var failed = await Assert.ThrowsAnyAsync<Exception>(() => account.Remove(withdrawPhotos: true));
        Assert.Contains("accounts remove shop_w --withdraw-photos", failed.Message);
        Assert.DoesNotContain("shop_w", await AccountRegistry.ListAll(cluster.Client));
        Assert.Equal(AccountState.NotOnboarded, (await account.GetStatus()).State);
        var reminders = await cluster.SiloServices().GetRequiredService<IReminderTable>().ReadRows(account.GetGrainId());
        Assert.Empty(reminders.Reminders);
        Assert.Equal(1, (await catalogue.Summary()).Catalogued);
        await database.Scalar("DROP TRIGGER refuse_withdrawal ON \"{schema}\".items");

        // The shop leaves the marketplace (the removal run again), then comes back: its photos go, then return with the
        // moderator's labels.
        Assert.Equal(1, await account.Remove(withdrawPhotos: true));
        Assert.Equal((12, 0), ((await catalogue.Summary()).Withdrawn, (await catalogue.Summary()).Catalogued));
        await account.Onboard(new AccountSource(AccountSource.Folder, shop));
        await account.Poll();
        var back = await Row("w1");
        Assert.Equal((ImageStatus.Catalogued, "Gray", "Bags", ModeratorLabel.Source), (back.Status, back.Colour, back.Category, back.ModelVersion));
        Assert.Equal(11, (await catalogue.Summary()).Withdrawn);

        // A post half filed by an interrupted poll and deleted before the next one is in the catalogue, never seen:
        // it is swept too.
        await catalogue.File(ModeratorLabelTests.Filed("shop_w/ghost", ImageStatus.Catalogued, "Blue", "Bags") with { Account = "shop_w", PostId = "ghost" });
        await account.Poll();
        Assert.Equal(ImageStatus.Withdrawn, (await Row("ghost")).Status);
        Assert.Equal(ImageStatus.Catalogued, (await Row("w1")).Status);
    }

    [Fact]
    public async Task An_unreadable_account_folder_is_recorded_on_the_account_and_others_go_on()
    {
        await using var database = new TestDatabase();
        using var folders = new TempFolder();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        var good = Directory.CreateDirectory(folders.Combine("good")).FullName;
        WritePost(good, "g1", "Blue", 0);

        await using var cluster = await VitrinaTestCluster.Start(database, models.Path);
        var ghost = cluster.Client.GetGrain<IAccountGrain>("ghost");
        await ghost.Onboard(new AccountSource(AccountSource.Folder, folders.Combine("does-not-exist")));
        var result = await ghost.Poll();
        var status = await ghost.GetStatus();
        Assert.Equal(AccountState.Failing, status.State);
        Assert.Contains("does-not-exist", status.LastError);
        Assert.Equal(result.Error, status.LastError);

        var other = cluster.Client.GetGrain<IAccountGrain>("good");
        await other.Onboard(new AccountSource(AccountSource.Folder, good));
        await other.Poll();
        Assert.Equal(1, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
        Assert.Equal(["ghost", "good"], await AccountRegistry.ListAll(cluster.Client));
    }
}
