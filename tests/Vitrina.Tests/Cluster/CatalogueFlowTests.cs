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

        // A re-poll finds nothing new; a new post is picked up alone.
        Assert.Equal(0, (await a.Poll()).NewPosts);
        WritePost(shopB, "b5", "Blue", 0);
        var repoll = await b.Poll();
        Assert.Equal(1, repoll.NewPosts);
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
