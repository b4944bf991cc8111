using Microsoft.AspNetCore.StaticFiles;
using Vitrina.Catalogue;
using Vitrina.Images;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// The photo of a catalogued image, for the shelves: the file a folder account's post points at, served by the silo
/// (it must be on this silo's disk, as on a single node), or a redirect to the web address an Instagram post gave.
/// Only photos on a shelf: nothing queued, failed, excluded or withdrawn, and nothing but images.
/// </summary>
internal static class ShelfPhoto
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <param name="pathBase">Where the silo's HTTP API is mounted (behind a proxy that serves it under a prefix).</param>
    public static string Path(PathString pathBase, string imageId) =>
        $"{pathBase}/api/catalogue/photo/{string.Join('/', imageId.Split('/').Select(Uri.EscapeDataString))}";

    public static async Task<IResult> Serve(string imageId, IGrainFactory grains, HttpContext http)
    {
        var item = await grains.GetGrain<ICatalogueGrain>(0).Find(imageId);
        if (item is not { Status: ImageStatus.Catalogued } || !Uri.TryCreate(item.Source, UriKind.Absolute, out var source))
        {
            return Results.NotFound(new { error = $"No photo of '{imageId}' on the shelves." });
        }

        if (source.Scheme == Uri.UriSchemeHttps || source.Scheme == Uri.UriSchemeHttp)
        {
            return Results.Redirect(source.AbsoluteUri);
        }

        if (!source.IsFile || !File.Exists(source.LocalPath)
            || !ContentTypes.TryGetContentType(source.LocalPath, out var type) || !type.StartsWith("image/", StringComparison.Ordinal))
        {
            return Results.NotFound(new { error = $"The photo of '{imageId}' is not on this silo." });
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(source.LocalPath, type);
    }
}
