using Vitrina.Accounts;
using Vitrina.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Placement;
using Vitrina.Images;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// A live page at <c>/</c>: catalogue counts per colour x category (each cell opens its shelf), the cluster's filing
/// rate (from those counts), how many accounts poll well, and this silo's classification rate and queue.
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
        app.MapGet("/api/stats", (ModelHost host, SiloDescription silo) => new
        {
            roles = silo.Roles,
            device = silo.Device,
            model = host.Loaded ? host.Current.Manifest.Version : null,
            refusedModel = host.RefusedVersion,
            classified = host.Classified,
            largestBatch = host.LargestBatch,
            queued = host.Queue.Queued,
            queueLimit = host.Queue.Limit,
            refused = host.Refused,
        });
    }

    /// <summary>The catalogue as shoppers see it: catalogued photos only, by colour, category or account, page by page.</summary>
    private static Task<IResult> Shelf(HttpContext http, IGrainFactory grains, string? colour, string? category, string? account, string? after, int? limit) =>
        CataloguePages.Page(http, grains, new CatalogueQuery
        {
            Status = ImageStatus.Catalogued,
            Colour = colour,
            Category = category,
            Account = account,
            After = after,
            Limit = limit ?? CataloguePages.DefaultLimit,
        }, item => ShelfItem.From(item, http.Request.PathBase));
}
