using Vitrina.Images;

namespace Vitrina.Catalogue;

/// <summary>Filters for listing catalogue rows; null means any.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.CatalogueQuery")]
public sealed record CatalogueQuery
{
    [Id(0)] public string? Colour { get; init; }
    [Id(1)] public string? Category { get; init; }
    [Id(2)] public string? Account { get; init; }
    [Id(3)] public ImageStatus? Status { get; init; }
    [Id(4)] public int Limit { get; init; } = 100;

    /// <summary>Rows labelled by this model version (<see cref="ModeratorLabel.Source"/>: by moderators).</summary>
    [Id(5)] public string? ModelVersion { get; init; }

    /// <summary>Most recently updated rows first (by default ordered by image id).</summary>
    [Id(6)] public bool NewestFirst { get; init; }

    /// <summary>
    /// Only rows whose image id comes after this one: the last id of the previous page. Pages by a key rather than an
    /// offset, so rows filed while a client pages through are neither skipped nor repeated; not with <see cref="NewestFirst"/>.
    /// </summary>
    [Id(7)] public string? After { get; init; }

    /// <summary>Only rows the taxonomy head judged less likely than this to show one of the categories.</summary>
    [Id(8)] public float? InTaxonomyBelow { get; init; }

    /// <summary>
    /// The newest posts first (by when the shop posted them, then by image id, both descending), as shoppers expect
    /// of a shelf, instead of image-id order. A page after another names the previous page's last row by both its
    /// <see cref="After"/> image id and its <see cref="AfterPostedAt"/>.
    /// </summary>
    [Id(9)] public bool NewestPostsFirst { get; init; }

    /// <summary>With <see cref="NewestPostsFirst"/>: when the previous page's last row was posted.</summary>
    [Id(10)] public DateTimeOffset? AfterPostedAt { get; init; }
}
