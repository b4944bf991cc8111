using Vitrina.Catalogue;
using Vitrina.Images;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cluster;

/// <summary>The catalogue grain writes concurrent filings together (one upsert per batch) on real PostgreSQL and SQLite.</summary>
public sealed class CatalogueFilingTests
{
    private static CatalogueItem Filed(int image, string colour) =>
        ModeratorLabelTests.Filed($"shop/{image}", ImageStatus.Catalogued, colour, "Dresses");

    /// <summary>A cluster whose catalogue is in PostgreSQL or, as on a single node by default, in SQLite.</summary>
    private static Task<VitrinaTestCluster> Start(string catalogueDatabase, TestDatabase database, TempFolder models)
    {
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        var sqlite = catalogueDatabase == "SQLite"
            ? new Dictionary<string, string?> { ["Vitrina:Catalogue:ConnectionString"] = "", ["Vitrina:Catalogue:SqlitePath"] = Path.Combine(models.Path, "catalogue.db") }
            : null;
        return VitrinaTestCluster.Start(database, models.Path, sqlite);
    }

    /// <summary>The upsert is one statement for both databases: the single-node SQLite catalogue runs it too.</summary>
    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("SQLite")]
    public async Task A_burst_of_filings_gives_one_row_per_photo_and_keeps_moderator_labels(string catalogueDatabase)
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await Start(catalogueDatabase, database, models);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        await catalogue.File(Filed(0, "Gray"));
        await catalogue.Label(new ModeratorLabel { ImageId = "shop/0", Colour = "Pink", Category = "Bags" });

        // 600 filings of 400 photos at once, the first 200 photos twice (a re-poll racing the first one), photo 0 among them.
        var burst = Enumerable.Range(0, 400).Select(i => Filed(i, "Black"))
            .Concat(Enumerable.Range(0, 200).Select(i => Filed(i, "White")))
            .Select(item => catalogue.File(item));
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

    /// <summary>Keyset paging: every row once, in order, also when rows are filed between two pages.</summary>
    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("SQLite")]
    public async Task Pages_after_an_image_id_list_every_row_once_while_rows_are_filed(string catalogueDatabase)
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await Start(catalogueDatabase, database, models);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        // Ids that sort differently as numbers and as text, queued photos with and without a taxonomy verdict.
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => catalogue.File(
            ModeratorLabelTests.Filed($"shop/{i}", i % 3 == 0 ? ImageStatus.Catalogued : ImageStatus.Moderation, "Blue", "Bags")
                with { InTaxonomyProbability = i % 5 == 0 ? null : i / 30f })));

        var seen = new List<string>();
        string? after = null;
        for (var page = 0; page < 10; page++)
        {
            var rows = await catalogue.List(new CatalogueQuery { Account = "shop", After = after, Limit = 7 });
            seen.AddRange(rows.Select(r => r.ImageId));
            if (page == 0)
            {
                // Filed behind the cursor (not listed) and ahead of it (listed once).
                await catalogue.File(ModeratorLabelTests.Filed("shop/0a", ImageStatus.Catalogued, "Blue", "Bags"));
                await catalogue.File(ModeratorLabelTests.Filed("shop/99", ImageStatus.Catalogued, "Blue", "Bags"));
            }

            if (rows.Count < 7)
            {
                break;
            }

            after = rows[^1].ImageId;
        }

        var everything = (await catalogue.List(new CatalogueQuery { Account = "shop", Limit = 1000 })).Select(r => r.ImageId).ToList();
        Assert.Equal(32, everything.Count);
        Assert.Equal(everything.Where(id => id != "shop/0a"), seen);
        Assert.Equal(seen.Distinct(), seen);

        // The likely exclusions: queued photos the taxonomy head put below 0.3 (rows without a verdict are not among them).
        var likelyOutside = await catalogue.List(new CatalogueQuery { Status = ImageStatus.Moderation, InTaxonomyBelow = 0.3f });
        var expected = Enumerable.Range(0, 30).Where(i => i % 3 != 0 && i % 5 != 0 && i / 30f < 0.3f).Select(i => $"shop/{i}");
        Assert.Equal(expected.Order(StringComparer.Ordinal), likelyOutside.Select(r => r.ImageId).Order(StringComparer.Ordinal));

        await Assert.ThrowsAsync<ArgumentException>(() => catalogue.List(new CatalogueQuery { After = "shop/3", NewestFirst = true }));
    }

    /// <summary>
    /// A shelf, newest posts first: by post time, then image id, both descending, page after page, every row once while
    /// newer and older posts are filed; post times with and without fractions of a second, and several in one second.
    /// </summary>
    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("SQLite")]
    public async Task Pages_of_the_newest_posts_first_list_every_row_once_while_rows_are_filed(string catalogueDatabase)
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await Start(catalogueDatabase, database, models);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        var start = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);
        CatalogueItem Posted(string id, DateTimeOffset at) => ModeratorLabelTests.Filed(id, ImageStatus.Catalogued, "Blue", "Bags") with { PostedAt = at };
        // Three posts a second, a third of them half a second in; filed in an order unlike either.
        var posts = Enumerable.Range(0, 30).Select(i => Posted($"shop/{i}", start.AddSeconds(i / 3).AddMilliseconds(i % 3 == 2 ? 500 : 0))).ToList();
        await Task.WhenAll(posts.OrderBy(p => p.ImageId.GetHashCode()).Select(item => catalogue.File(item)));
        await catalogue.File(ModeratorLabelTests.Filed("shop/queued", ImageStatus.Moderation, "Blue", "Bags") with { PostedAt = start.AddDays(1) });

        var seen = new List<CatalogueItem>();
        string? after = null;
        DateTimeOffset? afterPosted = null;
        for (var page = 0; page < 10; page++)
        {
            var rows = await catalogue.List(new CatalogueQuery
            {
                Status = ImageStatus.Catalogued, Colour = "Blue", Category = "Bags", NewestPostsFirst = true, After = after, AfterPostedAt = afterPosted, Limit = 7,
            });
            seen.AddRange(rows);
            if (page == 0)
            {
                // Newer than the cursor (on the first page of the next visit, not this one) and older (listed once).
                await catalogue.File(Posted("shop/new", start.AddDays(2)));
                await catalogue.File(Posted("shop/old", start.AddDays(-2)));
            }

            if (rows.Count < 7)
            {
                break;
            }

            (after, afterPosted) = (rows[^1].ImageId, rows[^1].PostedAt);
        }

        var expected = posts.Append(Posted("shop/old", start.AddDays(-2)))
            .OrderByDescending(p => p.PostedAt).ThenByDescending(p => p.ImageId, StringComparer.Ordinal).Select(p => p.ImageId).ToList();
        Assert.Equal(expected, seen.Select(r => r.ImageId));
        Assert.Equal("shop/new", (await catalogue.List(new CatalogueQuery { Status = ImageStatus.Catalogued, NewestPostsFirst = true, Limit = 1 }))[0].ImageId);
        // The most recently updated rows (what retraining reads of moderators' labels) are ordered in the database too.
        Assert.Equal("shop/old", (await catalogue.List(new CatalogueQuery { NewestFirst = true, Limit = 1 }))[0].ImageId);
        await Assert.ThrowsAsync<ArgumentException>(() => catalogue.List(new CatalogueQuery { NewestPostsFirst = true, After = "shop/3" }));
    }

    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("SQLite")]
    public async Task A_failed_refiling_keeps_a_catalogued_photo_and_a_failed_one_can_still_succeed(string catalogueDatabase)
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await Start(catalogueDatabase, database, models);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        var catalogued = Filed(1, "Gray") with { Source = "https://cdn.example/1.jpg", SourceKind = "instagram", MediaId = "m1" };
        await catalogue.File(catalogued);
        await catalogue.File(ModeratorLabelTests.Filed("shop/1", ImageStatus.Failed, null, null));
        await catalogue.File(ModeratorLabelTests.Filed("shop/2", ImageStatus.Failed, null, null));
        await catalogue.File(Filed(2, "Blue"));

        var rows = (await catalogue.List(new CatalogueQuery { Account = "shop" })).ToDictionary(r => r.ImageId);
        Assert.Equal((ImageStatus.Catalogued, "Gray", null), (rows["shop/1"].Status, rows["shop/1"].Colour, rows["shop/1"].Error));
        Assert.Equal(("https://cdn.example/1.jpg", "instagram", "m1"), (rows["shop/1"].Source, rows["shop/1"].SourceKind, rows["shop/1"].MediaId));
        Assert.Equal((ImageStatus.Catalogued, "Blue", null), (rows["shop/2"].Status, rows["shop/2"].Colour, rows["shop/2"].Error));
    }

    /// <summary>
    /// Thumbnails go in with their rows, 64 to a statement on PostgreSQL, and stay what the shelf shows: a photo filed
    /// again brings its newest one, a failed refiling (its source gone) leaves the old one, rows read back carry none.
    /// </summary>
    [Theory]
    [InlineData("PostgreSQL")]
    [InlineData("SQLite")]
    public async Task Thumbnails_are_filed_with_their_photos_and_outlast_their_source(string catalogueDatabase)
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await Start(catalogueDatabase, database, models);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        static byte[] Jpeg(int image, int version) => [0xFF, 0xD8, 0xFF, (byte)image, (byte)version];

        await Task.WhenAll(Enumerable.Range(0, 150).Select(i => catalogue.File(Filed(i, "Black") with { Thumbnail = Jpeg(i, 1) })));
        await catalogue.File(Filed(1, "Black") with { Thumbnail = Jpeg(1, 2) });
        await catalogue.File(ModeratorLabelTests.Filed("shop/2", ImageStatus.Failed, null, null));
        await catalogue.File(ModeratorLabelTests.Filed("shop/failed", ImageStatus.Failed, null, null));
        await catalogue.File(ModeratorLabelTests.Filed("shop/queued", ImageStatus.Moderation, "Blue", "Bags") with { Thumbnail = Jpeg(9, 9) });

        var all = await Task.WhenAll(Enumerable.Range(0, 150).Select(i => catalogue.Thumbnail($"shop/{i}")));
        Assert.All(all, t => Assert.Equal(ImageStatus.Catalogued, t!.Status));
        for (var i = 0; i < all.Length; i++)
        {
            Assert.Equal(Jpeg(i, i == 1 ? 2 : 1), all[i]!.Jpeg); // photo 2's failed refiling kept its thumbnail
        }

        var failed = await catalogue.Thumbnail("shop/failed");
        Assert.Equal(ImageStatus.Failed, failed!.Status);
        Assert.Null(failed.Jpeg);
        Assert.Equal(ImageStatus.Moderation, (await catalogue.Thumbnail("shop/queued"))!.Status);
        Assert.Null(await catalogue.Thumbnail("shop/none"));
        Assert.All(await catalogue.List(new CatalogueQuery { Account = "shop", Limit = 1000 }), r => Assert.Null(r.Thumbnail));
    }

    [Fact]
    public async Task A_row_the_database_refuses_fails_alone_and_the_photos_filed_with_it_are_kept()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await Start("PostgreSQL", database, models);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);

        // PostgreSQL text cannot hold a NUL character: one such caption amid a burst that is filed in shared batches.
        var items = Enumerable.Range(0, 300).Select(i => Filed(i, "Black")).ToList();
        items[150] = items[150] with { Caption = "spring \0 sale" };
        var filings = items.Select(item => catalogue.File(item)).ToList();

        await Assert.ThrowsAnyAsync<Exception>(() => filings[150]);
        await Task.WhenAll(filings.Where((_, i) => i != 150));
        var rows = await catalogue.List(new CatalogueQuery { Account = "shop", Limit = 1000 });
        Assert.Equal(299, rows.Count);
        Assert.DoesNotContain(rows, r => r.ImageId == "shop/150");
    }

    /// <summary>
    /// A transaction PostgreSQL chose as a deadlock's victim is written again, twice at most: two batches of one shop
    /// upserting overlapping rows in another order can deadlock, and then neither photo is at fault.
    /// </summary>
    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public async Task A_filing_chosen_as_a_deadlock_victim_is_written_again(int deadlocks, bool filed)
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        await using var cluster = await Start("PostgreSQL", database, models);
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        await catalogue.File(Filed(0, "Black")); // the schema exists once the first row is filed
        // A sequence counts the attempts: it is not rolled back with the transaction the trigger fails.
        await database.Scalar($"""
            CREATE SEQUENCE "{database.Schema}".attempts;
            CREATE FUNCTION "{database.Schema}".play_deadlock() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF nextval('"{database.Schema}".attempts') <= {deadlocks} THEN
                    RAISE EXCEPTION 'test: deadlock detected' USING ERRCODE = '40P01';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER play_deadlock BEFORE INSERT ON "{database.Schema}".items
                FOR EACH ROW WHEN (NEW.image_id = 'shop/1') EXECUTE FUNCTION "{database.Schema}".play_deadlock();
            """);

        var filing = catalogue.File(Filed(1, "Blue"));

        if (filed)
        {
            await filing;
            Assert.Single(await catalogue.List(new CatalogueQuery { Account = "shop", Colour = "Blue", Limit = 10 }));
        }
        else
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(() => filing);
            Assert.Contains("deadlock", e.ToString());
            Assert.Empty(await catalogue.List(new CatalogueQuery { Account = "shop", Colour = "Blue", Limit = 10 }));
        }

        Assert.Equal(3, await database.Scalar($"SELECT last_value FROM \"{database.Schema}\".attempts")); // never a fourth
    }
}
