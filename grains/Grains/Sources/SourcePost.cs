namespace Vitrina.Grains.Sources;

/// <summary>A post as a source lists it: its id, images (carousels have several) and optional metadata.</summary>
public sealed record SourcePost(string PostId, IReadOnlyList<SourceImage> Images, string? Caption, string? Permalink, DateTimeOffset? PostedAt)
{
    /// <summary>Parts of the post that have no image to catalogue (videos, media without a link), so callers can count them.</summary>
    public IReadOnlyList<SkippedMedia> Skipped { get; init; } = [];
}

/// <summary>One image of a post: a stable media id and where to fetch it.</summary>
public sealed record SourceImage(string MediaId, Uri Location);

/// <summary>A media item of a post that yields no image, and why.</summary>
public sealed record SkippedMedia(string MediaId, string Reason);
