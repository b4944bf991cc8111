using Microsoft.AspNetCore.StaticFiles;
using Vitrina.Catalogue;
using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Images;
using Vitrina.Grains.Sources;
using Vitrina.Images;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// A filed image's photo, nothing but images. The public shelves get the photos on them: the file a folder account's
/// post points at, served by the silo (it must be on this silo's disk, as on a single node), or a redirect to the web
/// address an Instagram post gave. Moderators (with the key) get any photo, the queued ones above all, fetched again.
/// </summary>
internal static class CataloguePhotos
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <param name="pathBase">Where the silo's HTTP API is mounted (behind a proxy that serves it under a prefix).</param>
    public static string ShelfPath(PathString pathBase, string imageId) =>
        $"{pathBase}/api/catalogue/photo/{string.Join('/', imageId.Split('/').Select(Uri.EscapeDataString))}";

    public static async Task<IResult> OnShelf(string imageId, IGrainFactory grains, HttpContext http) =>
        await grains.GetGrain<ICatalogueGrain>(0).Find(imageId) is { Status: ImageStatus.Catalogued } item
            ? FromSource(item, http)
            : Results.NotFound(new { error = $"No photo of '{imageId}' on the shelves." });

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

    private static IResult FromSource(CatalogueItem item, HttpContext http)
    {
        if (!Uri.TryCreate(item.Source, UriKind.Absolute, out var source))
        {
            return Results.NotFound(new { error = $"'{item.ImageId}' was filed without its source." });
        }

        if (source.Scheme == Uri.UriSchemeHttps || source.Scheme == Uri.UriSchemeHttp)
        {
            return Results.Redirect(source.AbsoluteUri);
        }

        if (!source.IsFile || !File.Exists(source.LocalPath)
            || !ContentTypes.TryGetContentType(source.LocalPath, out var type) || !type.StartsWith("image/", StringComparison.Ordinal))
        {
            return Results.NotFound(new { error = $"The photo of '{item.ImageId}' is not on this silo." });
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(source.LocalPath, type);
    }
}
