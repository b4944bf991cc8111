using Vitrina.Images;

namespace Vitrina.Catalogue;

/// <summary>A catalogue row: one image with its account, post, labels and status.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.CatalogueItem")]
public sealed record CatalogueItem
{
    [Id(0)] public required string ImageId { get; init; }
    [Id(1)] public required string Account { get; init; }
    [Id(2)] public required string PostId { get; init; }
    [Id(3)] public required ImageStatus Status { get; init; }
    [Id(4)] public string? Colour { get; init; }
    [Id(5)] public float ColourProbability { get; init; }
    [Id(6)] public string? Category { get; init; }
    [Id(7)] public float CategoryProbability { get; init; }
    [Id(8)] public string? ModelVersion { get; init; }
    [Id(9)] public string? Error { get; init; }
    [Id(10)] public string? Permalink { get; init; }
    [Id(11)] public string? Caption { get; init; }
    [Id(12)] public DateTimeOffset? PostedAt { get; init; }
    [Id(13)] public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Where the photo's bytes were found (a file:// or http(s):// URI); null in rows filed before it was
    /// kept.</summary>
    [Id(14)] public string? Source { get; init; }
    [Id(15)] public string? SourceKind { get; init; }
    [Id(16)] public string? MediaId { get; init; }

    /// <summary>
    /// The taxonomy head's probability that the photo shows one of the categories: low for a T-shirt waiting in the
    /// queue, which a moderator will likely exclude. Null for failures, and rows filed before it was kept.
    /// </summary>
    [Id(17)] public float? InTaxonomyProbability { get; init; }

    /// <summary>
    /// The shelf's JPEG of the photo, handed in with a filing (a failure has none, and leaves the one filed before).
    /// Rows read back leave it out: it is served on its own (<c>GET /api/catalogue/photo/{id}</c>).
    /// </summary>
    [Id(18)] public byte[]? Thumbnail { get; init; }
}
