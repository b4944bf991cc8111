namespace Vitrina.Catalogue;

/// <summary>
/// Counts per colour x category of catalogued images, plus those waiting for moderation, failed, excluded by a
/// moderator as outside the catalogue's categories, or withdrawn because their post is gone from the shop.
/// </summary>
[GenerateSerializer, Immutable, Alias("Vitrina.CatalogueSummary")]
public sealed record CatalogueSummary
{
    [Id(0)] public required IReadOnlyList<CatalogueCell> Cells { get; init; }
    [Id(1)] public int Catalogued { get; init; }
    [Id(2)] public int Moderation { get; init; }
    [Id(3)] public int Failed { get; init; }
    [Id(4)] public int Accounts { get; init; }
    [Id(5)] public int Excluded { get; init; }
    [Id(6)] public int Withdrawn { get; init; }
}
