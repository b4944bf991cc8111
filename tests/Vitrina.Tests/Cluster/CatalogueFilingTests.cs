using Vitrina.Catalogue;
using Vitrina.Images;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cluster;

/// <summary>The catalogue grain writes concurrent filings together (one transaction per batch) on real PostgreSQL.</summary>
public sealed class CatalogueFilingTests
{
    private static CatalogueItem Filed(int image, string colour) =>
        ModeratorLabelTests.Filed($"shop/{image}", ImageStatus.Catalogued, colour, "Dresses");

    [Fact]
    public async Task A_burst_of_filings_gives_one_row_per_photo_and_keeps_moderator_labels()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        await catalogue.File(Filed(0, "Gray"));
        await catalogue.Label(new ModeratorLabel { ImageId = "shop/0", Colour = "Pink", Category = "Bags" });

        // 600 filings of 400 photos at once, the first 200 photos twice (a re-poll racing the first one), photo 0 among them.
        var burst = Enumerable.Range(0, 400).Select(i => Filed(i, "Black"))
            .Concat(Enumerable.Range(0, 200).Select(i => Filed(i, "White")))
            .Select(catalogue.File);
        await Task.WhenAll(burst);

        var rows = await catalogue.List(new CatalogueQuery { Account = "shop", Limit = 1000 });
        Assert.Equal(400, rows.Count);
        Assert.Equal(400, rows.Select(r => r.ImageId).Distinct().Count());
        var moderated = rows.Single(r => r.ImageId == "shop/0");
        Assert.Equal(("Pink", "Bags", ModeratorLabel.Source), (moderated.Colour, moderated.Category, moderated.ModelVersion));
        Assert.All(rows.Where(r => r.ImageId != "shop/0"), r => Assert.Contains(r.Colour, new[] { "Black", "White" }));
        var summary = await catalogue.Summary();
        Assert.Equal((400, 0, 0), (summary.Catalogued, summary.Moderation, summary.Failed));
    }
}
