using Vitrina.Images;

namespace Vitrina.Catalogue;

/// <summary>A filed image's status and its shelf JPEG; <see cref="Jpeg"/> is null for failures and rows filed before thumbnails were kept.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.CatalogueThumbnail")]
public sealed record CatalogueThumbnail([property: Id(0)] ImageStatus Status, [property: Id(1)] byte[]? Jpeg);
