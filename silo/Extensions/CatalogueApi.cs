using Vitrina.Catalogue;
using Vitrina.Images;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// The public catalogue, no key needed: counts per colour x category, shelves of catalogued photos page by page, and
/// their photos.
/// </summary>
public static class CatalogueApi
{
    public static void MapCatalogueApi(this WebApplication app)
    {
        app.MapGet("/api/catalogue/summary", (IGrainFactory grains) => grains.GetGrain<ICatalogueGrain>(0).Summary());
        app.MapGet("/api/catalogue/items", Shelf);
        app.MapGet("/api/catalogue/photo/{**imageId}", CataloguePhotos.OnShelf);
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
