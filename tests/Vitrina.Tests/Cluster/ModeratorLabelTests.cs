using Vitrina.Catalogue;
using Vitrina.Images;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cluster;

/// <summary>Moderator labels in the catalogue grain, on real PostgreSQL: they stick, and they need a complete answer.</summary>
public sealed class ModeratorLabelTests
{
    internal static CatalogueItem Filed(string imageId, ImageStatus status, string? colour, string? category) => new()
    {
        ImageId = imageId,
        Account = "shop",
        PostId = imageId,
        Status = status,
        Colour = colour,
        ColourProbability = 0.4f,
        Category = category,
        CategoryProbability = 0.5f,
        ModelVersion = "model-1",
        Error = status == ImageStatus.Failed ? "decode: broken" : null,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task A_moderator_label_survives_the_image_being_filed_again()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        await catalogue.File(Filed("shop/1", ImageStatus.Moderation, "Gray", "Bags"));
        await catalogue.File(Filed("shop/2", ImageStatus.Failed, null, null));

        var labelled = await catalogue.Label(new ModeratorLabel { ImageId = "shop/1", Colour = "Black" });
        // A re-poll after a silo died files the model's answer again: the moderator's stays.
        await catalogue.File(Filed("shop/1", ImageStatus.Moderation, "Gray", "Bags"));

        Assert.NotNull(labelled);
        var row = (await catalogue.List(new CatalogueQuery { Account = "shop" })).Single(i => i.ImageId == "shop/1");
        Assert.Equal((ImageStatus.Catalogued, "Black", "Bags", ModeratorLabel.Source), (row.Status, row.Colour, row.Category, row.ModelVersion));
        Assert.Equal(1f, row.ColourProbability);
        var summary = await catalogue.Summary();
        Assert.Equal((1, 0, 1), (summary.Catalogued, summary.Moderation, summary.Failed));

        Assert.Null(await catalogue.Label(new ModeratorLabel { ImageId = "shop/none", Colour = "Black" }));
        var half = await Assert.ThrowsAsync<ArgumentException>(() => catalogue.Label(new ModeratorLabel { ImageId = "shop/2", Colour = "Black" }));
        Assert.Contains("shop/2", half.Message);
        var complete = await catalogue.Label(new ModeratorLabel { ImageId = "shop/2", Colour = "Black", Category = "Dresses" });
        Assert.Equal(ImageStatus.Catalogued, complete!.Status);
        Assert.Null(complete.Error);
    }

    [Fact]
    public async Task A_photo_a_moderator_excludes_leaves_the_queue_and_the_shelves_for_good()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        await catalogue.File(Filed("shop/tee", ImageStatus.Moderation, "White", "Dresses"));
        await catalogue.File(Filed("shop/bag", ImageStatus.Catalogued, "Black", "Bags"));

        var both = await Assert.ThrowsAsync<ArgumentException>(() => catalogue.Label(new ModeratorLabel { ImageId = "shop/tee", Category = "Bags", Outside = true }));
        Assert.Contains("shop/tee", both.Message);
        var excluded = await catalogue.Label(new ModeratorLabel { ImageId = "shop/tee", Outside = true });
        await catalogue.File(Filed("shop/tee", ImageStatus.Moderation, "White", "Dresses")); // a re-poll files it again

        Assert.Equal((ImageStatus.Excluded, ModeratorLabel.Source), (excluded!.Status, excluded.ModelVersion));
        Assert.Empty(await catalogue.List(new CatalogueQuery { Status = ImageStatus.Moderation }));
        Assert.Equal("shop/tee", (await catalogue.List(new CatalogueQuery { Status = ImageStatus.Excluded })).Single().ImageId);
        var summary = await catalogue.Summary();
        Assert.Equal((1, 0, 1), (summary.Catalogued, summary.Moderation, summary.Excluded));
        Assert.Equal("Bags", summary.Cells.Single().Category);
    }

    [Fact]
    public async Task Labels_racing_the_withdrawal_of_their_posts_do_not_put_the_photos_back_on_the_shelves()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        var ids = Enumerable.Range(0, 400).Select(i => $"shop/{i}").ToList();
        await Task.WhenAll(ids.Select(id => catalogue.File(Filed(id, ImageStatus.Moderation, "Gray", "Bags"))));

        // A moderator working through the queue while a sweep finds the shop's posts deleted: each label reads its row
        // and writes it back, and the withdrawal lands between the two for some of them.
        var labels = ids.Select(id => catalogue.Label(new ModeratorLabel { ImageId = id, Colour = "Black", Category = "Dresses" })).ToList();
        await Task.WhenAny(labels);
        var withdrawn = await catalogue.Withdraw("shop", null);
        await Task.WhenAll(labels);

        Assert.True(withdrawn > 0);
        var rows = await catalogue.List(new CatalogueQuery { Account = "shop", Limit = 1000 });
        Assert.Equal(400, rows.Count);
        Assert.All(rows, r => Assert.Equal(ImageStatus.Withdrawn, r.Status)); // gone from the shelves, labels kept for a return
        Assert.All(rows.Where(r => r.ModelVersion == ModeratorLabel.Source), r => Assert.Equal(("Black", "Dresses"), (r.Colour, r.Category)));
        Assert.Equal(0, (await catalogue.Summary()).Catalogued);
    }
}
