using Vitrina.Catalogue;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// A catalogued photo as the public shelf shows it: what a shopper needs, and nothing of the silo's inside (no local
/// file paths, errors or taxonomy verdicts). The photo's URL only when it is a web address, e.g. Instagram's media URL.
/// </summary>
internal sealed record ShelfItem(
    string ImageId, string Account, string PostId, string? Colour, float ColourProbability, string? Category, float CategoryProbability,
    string? ModelVersion, string? Permalink, string? Caption, DateTimeOffset? PostedAt, string? MediaUrl)
{
    public static ShelfItem From(CatalogueItem item) => new(
        item.ImageId, item.Account, item.PostId, item.Colour, item.ColourProbability, item.Category, item.CategoryProbability,
        item.ModelVersion, item.Permalink, item.Caption, item.PostedAt,
        Uri.TryCreate(item.Source, UriKind.Absolute, out var source) && (source.Scheme == Uri.UriSchemeHttps || source.Scheme == Uri.UriSchemeHttp) ? item.Source : null);
}
