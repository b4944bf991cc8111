namespace Vitrina.Grains.Catalogue;

/// <summary>Conversions between the catalogue's message, its table row, an image's work and its outcome.</summary>
public static class CatalogueItems
{
    public static CatalogueItem From(ImageWork work, ImageOutcome outcome, byte[]? thumbnail)
    {
        // Also when it was posted, for a source that does not say: newest-first shelves order by it.
        var now = DateTimeOffset.UtcNow;
        return new()
        {
            ImageId = work.ImageId,
            Account = work.Account,
            PostId = work.PostId,
            Status = outcome.Status,
            Colour = outcome.Colour,
            ColourProbability = outcome.ColourProbability,
            Category = outcome.Category,
            CategoryProbability = outcome.CategoryProbability,
            ModelVersion = outcome.ModelVersion,
            Error = outcome.Error,
            Permalink = WithoutNul(work.Permalink),
            Caption = WithoutNul(work.Caption),
            PostedAt = work.PostedAt?.ToUniversalTime() ?? now,
            UpdatedAt = now,
            Source = work.Source.ToString(),
            SourceKind = work.SourceKind,
            MediaId = work.MediaId,
            InTaxonomyProbability = outcome.InTaxonomyProbability,
            Thumbnail = thumbnail,
        };
    }

    /// <summary>A shop's text may hold a NUL character, which PostgreSQL text cannot store: it would fail the photo.</summary>
    private static string? WithoutNul(string? text) => text?.Replace("\0", "", StringComparison.Ordinal);

    /// <summary>Inside a grain call's 30 s timeout, so the work stops when its caller has stopped waiting.</summary>
    public static readonly TimeSpan FetchAgainWithin = TimeSpan.FromSeconds(25);

    /// <summary>
    /// The work that fetches a catalogued photo again, by <see cref="FetchAgainWithin"/> from now; null for rows filed
    /// before sources were kept. Without the deadline, a link refresh would go on reading the shop's pages through the
    /// call budget long after the moderator's page or the retraining had given up on it.
    /// </summary>
    public static ImageWork? ToWork(CatalogueItem item) => item.Source is null ? null : new()
    {
        Deadline = DateTimeOffset.UtcNow + FetchAgainWithin,
        ImageId = item.ImageId,
        Account = item.Account,
        PostId = item.PostId,
        Source = new Uri(item.Source),
        Caption = item.Caption,
        Permalink = item.Permalink,
        PostedAt = item.PostedAt,
        MediaId = item.MediaId,
        SourceKind = item.SourceKind,
    };

    public static CatalogueItem ToItem(CatalogueRow row) => new()
    {
        ImageId = row.ImageId,
        Account = row.Account,
        PostId = row.PostId,
        Status = Enum.Parse<ImageStatus>(row.Status),
        Colour = row.Colour,
        ColourProbability = row.ColourProbability,
        Category = row.Category,
        CategoryProbability = row.CategoryProbability,
        ModelVersion = row.ModelVersion,
        Error = row.Error,
        Permalink = row.Permalink,
        Caption = row.Caption,
        PostedAt = row.PostedAt,
        UpdatedAt = row.UpdatedAt,
        Source = row.Source,
        SourceKind = row.SourceKind,
        MediaId = row.MediaId,
        InTaxonomyProbability = row.InTaxonomyProbability,
    };
}
