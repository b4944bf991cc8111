using Vitrina.Catalogue;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// A catalogued photo as the public shelf shows it: what a shopper needs, and nothing of the silo's inside (no local
/// file paths, errors or taxonomy verdicts). <see cref="Photo"/> is the silo's link to the picture (<see cref="CataloguePhotos"/>).
/// </summary>
internal sealed record ShelfItem(
    string ImageId, string Account, string PostId, string? Colour, float ColourProbability, string? Category, float CategoryProbability,
    string? ModelVersion, string? Permalink, string? Caption, DateTimeOffset? PostedAt, string Photo)
{
    public static ShelfItem From(CatalogueItem item, PathString pathBase) => new(
        item.ImageId, item.Account, item.PostId, item.Colour, item.ColourProbability, item.Category, item.CategoryProbability,
        item.ModelVersion, item.Permalink, item.Caption, item.PostedAt, CataloguePhotos.ShelfPath(pathBase, item.ImageId));
}
