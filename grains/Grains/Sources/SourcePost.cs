namespace Vitrina.Grains.Sources;

/// <summary>A post as a source lists it: its id, images (carousels have several) and optional metadata.</summary>
public sealed record SourcePost(string PostId, IReadOnlyList<SourceImage> Images, string? Caption, string? Permalink, DateTimeOffset? PostedAt);

/// <summary>One image of a post: a stable media id and where to fetch it.</summary>
public sealed record SourceImage(string MediaId, Uri Location);
