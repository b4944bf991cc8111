using Vitrina.Catalogue;
using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Images;
using Vitrina.Grains.Sources;
using Vitrina.Images;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// A filed image's photo, nothing but images. The public shelves get the thumbnails of the photos on them, kept in the
/// catalogue when the photo was filed (any silo serves them, long after an Instagram link expired). Moderators (with
/// the key) get any photo's thumbnail, the queued ones above all, and the whole photo, fetched again.
/// </summary>
internal static class CataloguePhotos
{
    /// <summary>A photo filed again keeps its picture; a browser may reuse it for an hour.</summary>
    private const string CacheFor = "public, max-age=3600";

    /// <param name="pathBase">Where the silo's HTTP API is mounted (behind a proxy that serves it under a prefix).</param>
    public static string ShelfPath(PathString pathBase, string imageId) =>
        $"{pathBase}/api/catalogue/photo/{string.Join('/', imageId.Split('/').Select(Uri.EscapeDataString))}";

    public static async Task<IResult> OnShelf(string imageId, IGrainFactory grains, HttpContext http) =>
        await grains.GetGrain<ICatalogueGrain>(0).Thumbnail(imageId) switch
        {
            { Status: ImageStatus.Catalogued, Jpeg: { } jpeg } => Jpeg(jpeg, http, CacheFor),
            { Status: ImageStatus.Catalogued } => NoThumbnail(imageId),
            _ => Results.NotFound(new { error = $"No photo of '{imageId}' on the shelves." }),
        };

    /// <summary>Any filed photo's thumbnail, whatever its status; not kept by shared caches, unlike the shelves'.</summary>
    public static async Task<IResult> ThumbnailForModerators(string imageId, IGrainFactory grains, HttpContext http) =>
        await grains.GetGrain<ICatalogueGrain>(0).Thumbnail(imageId) switch
        {
            { Jpeg: { } jpeg } => Jpeg(jpeg, http, "private, max-age=3600"),
            { } => NoThumbnail(imageId),
            null => Results.NotFound(new { error = $"No photo of '{imageId}' in the catalogue." }),
        };

    private static IResult NoThumbnail(string imageId) =>
        Results.NotFound(new { error = $"'{imageId}' has no thumbnail: it failed, its post is gone from the shop, or it was filed before thumbnails were kept (it gets one when filed again)." });

    private static IResult Jpeg(byte[] jpeg, HttpContext http, string cacheControl)
    {
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = cacheControl;
        return Results.File(jpeg, "image/jpeg");
    }

    /// <summary>
    /// Fetched by an image grain, which exchanges an expired Instagram link for a fresh one: queued photos wait days for
    /// a moderator, longer than Instagram's links last.
    /// </summary>
    public static async Task<IResult> ForModerators(string imageId, IGrainFactory grains, HttpContext http)
    {
        if (await grains.GetGrain<ICatalogueGrain>(0).Find(imageId) is not { } item || CatalogueItems.ToWork(item) is not { } work)
        {
            return Results.NotFound(new { error = $"No photo of '{imageId}' in the catalogue." });
        }

        try
        {
            var bytes = await grains.GetGrain<IImageGrain>(IImageGrain.Key).Photo(work);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            return ImageType(bytes) is { } type ? Results.File(bytes, type) : Results.NotFound(new { error = $"The source of '{imageId}' is not an image." });
        }
        catch (ImageFetchException e)
        {
            return Results.NotFound(new { error = $"The photo of '{imageId}' cannot be fetched: {e.Message}" });
        }
        catch (TimeoutException e)
        {
            return Results.Json(new { error = $"The photo of '{imageId}' took too long to fetch; try again: {e.Message}" },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (PostSourceUnavailableException e)
        {
            // Renewing an expired link needs the Graph API: its call budget or token, not the photo, is the problem.
            return Results.Json(new { error = $"The photo of '{imageId}' needs a fresh link, which Instagram does not give now: {e.Message}" },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>From the first bytes, as the formats the image preparation reads.</summary>
    private static string? ImageType(byte[] bytes) => bytes switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
        [(byte)'G', (byte)'I', (byte)'F', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'B', (byte)'M', ..] => "image/bmp",
        _ => null,
    };
}
