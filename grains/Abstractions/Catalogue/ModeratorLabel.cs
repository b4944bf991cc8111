namespace Vitrina.Catalogue;

/// <summary>
/// A moderator's answer for one image: its real colour and/or category (null leaves the model's answer), or that it
/// shows none of the catalogue's categories at all.
/// </summary>
[GenerateSerializer, Immutable, Alias("Vitrina.ModeratorLabel")]
public sealed record ModeratorLabel
{
    /// <summary>The <see cref="CatalogueItem.ModelVersion"/> of a row whose labels a moderator set.</summary>
    public const string Source = "moderator";

    [Id(0)] public required string ImageId { get; init; }
    [Id(1)] public string? Colour { get; init; }
    [Id(2)] public string? Category { get; init; }

    /// <summary>The photo shows none of the catalogue's categories (a T-shirt, a shoe): it leaves the queue for good.</summary>
    [Id(3)] public bool Outside { get; init; }
}
