using Microsoft.AspNetCore.StaticFiles;
using Vitrina.Catalogue;
using Vitrina.Images;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// A filed image's photo: the file a folder account's post points at, served by the silo (it must be on this silo's
/// disk, as on a single node), or a redirect to the web address an Instagram post gave; nothing but images. The public
/// shelves get the photos on them; moderators (with the key) any photo, the queued ones above all.
/// </summary>
internal static class CataloguePhotos
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <param name="pathBase">Where the silo's HTTP API is mounted (behind a proxy that serves it under a prefix).</param>
    public static string ShelfPath(PathString pathBase, string imageId) =>
        $"{pathBase}/api/catalogue/photo/{string.Join('/', imageId.Split('/').Select(Uri.EscapeDataString))}";

    public static async Task<IResult> OnShelf(string imageId, IGrainFactory grains, HttpContext http) =>
        await grains.GetGrain<ICatalogueGrain>(0).Find(imageId) is { Status: ImageStatus.Catalogued } item
            ? Serve(item, http)
            : Results.NotFound(new { error = $"No photo of '{imageId}' on the shelves." });

    public static async Task<IResult> ForModerators(string imageId, IGrainFactory grains, HttpContext http) =>
        await grains.GetGrain<ICatalogueGrain>(0).Find(imageId) is { } item
            ? Serve(item, http)
            : Results.NotFound(new { error = $"No image '{imageId}' in the catalogue." });

    private static IResult Serve(CatalogueItem item, HttpContext http)
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
