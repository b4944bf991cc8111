namespace Vitrina.Grains.Catalogue;

/// <summary>The catalogue table's row: one per image id, updated in place when an image is filed again.</summary>
public sealed class CatalogueRow
{
    public required string ImageId { get; set; }
    public required string Account { get; set; }
    public required string PostId { get; set; }
    public required string Status { get; set; }
    public string? Colour { get; set; }
    public float ColourProbability { get; set; }
    public string? Category { get; set; }
    public float CategoryProbability { get; set; }
    public string? ModelVersion { get; set; }
    public string? Error { get; set; }
    public string? Permalink { get; set; }
    public string? Caption { get; set; }
    public DateTimeOffset? PostedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? Source { get; set; }
    public string? SourceKind { get; set; }
    public string? MediaId { get; set; }
    public float? InTaxonomyProbability { get; set; }
}
