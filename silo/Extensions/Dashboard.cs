using Vitrina.Accounts;
using Vitrina.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Images;
using Vitrina.Grains.Placement;
using Vitrina.Images;
using Vitrina.Silos;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// A live page at <c>/</c>: catalogue counts per colour x category (each cell opens its shelf), the cluster's filing
/// rate (from those counts), how many accounts poll well, this silo's classification rate and queue, and every silo's
/// rates side by side (<see cref="ISiloRosterGrain"/>).
/// </summary>
public static class Dashboard
{
    public static void MapDashboard(this WebApplication app)
    {
        var page = Path.Combine(AppContext.BaseDirectory, "Dashboard", "index.html");
        app.MapGet("/", () => Results.File(page, "text/html; charset=utf-8"));
        app.MapGet("/api/catalogue/summary", (IGrainFactory grains) => grains.GetGrain<ICatalogueGrain>(0).Summary());
        app.MapGet("/api/catalogue/items", Shelf);
        app.MapGet("/api/catalogue/photo/{**imageId}", CataloguePhotos.OnShelf);
        app.MapGet("/api/accounts/tally", (IGrainFactory grains) => AccountRegistry.Tally(grains));
        app.MapGet("/api/silos", (IGrainFactory grains) => grains.GetGrain<ISiloRosterGrain>(0).List());
        app.MapGet("/api/stats", (ModelHost host, ImageMetrics images, SiloDescription silo) => new
        {
            roles = silo.Roles,
            device = silo.Device,
            model = host.Loaded ? host.Current.Manifest.Version : null,
            refusedModel = host.RefusedVersion,
            servedOn = host.ServedOn,
            classified = host.Classified,
            largestBatch = host.LargestBatch,
            queued = host.Queue.Queued,
            queueLimit = host.Queue.Limit,
            refused = host.Refused,
            handedBack = images.HandedBackCount,
            gaveUp = images.AbandonedCount,
        });
    }

    /// <summary>
    /// The catalogue as shoppers see it: catalogued photos only, by colour, category or account, page by page; the
    /// newest posts first unless <paramref name="order"/> is <c>id</c>.
    /// </summary>
    /// <param name="afterPosted">Newest first: when the previous page's last row was posted (its <c>Link</c> header gives it).</param>
    private static async Task<IResult> Shelf(
        HttpContext http, IGrainFactory grains, string? colour, string? category, string? account, string? after, DateTimeOffset? afterPosted, string? order, int? limit)
    {
        if (order is not (null or "newest" or "id"))
        {
            return Results.BadRequest(new { error = $"order must be newest (the default) or id; got '{order}'." });
        }

        var newest = order is null or "newest";
        if (newest && (after is null) != (afterPosted is null))
        {
            return Results.BadRequest(new { error = "Newest first, a next page needs both after (an image id) and afterPosted, as the Link header gives them." });
        }

        return await CataloguePages.Page(http, grains, new CatalogueQuery
        {
            Status = ImageStatus.Catalogued,
            Colour = colour,
            Category = category,
            Account = account,
            After = after,
            NewestPostsFirst = newest,
            AfterPostedAt = newest ? afterPosted?.ToUniversalTime() : null, // Npgsql takes UTC alone; SQLite compares UTC text
            Limit = limit ?? CataloguePages.DefaultLimit,
        }, item => ShelfItem.From(item, http.Request.PathBase));
    }
}
