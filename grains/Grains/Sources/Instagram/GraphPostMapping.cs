namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// Turns a Graph API media item into the post the catalogue sees: a carousel becomes one post with an image per
/// child, videos are skipped or read as their cover frame, and anything without a link is listed as skipped.
/// </summary>
public static class GraphPostMapping
{
    public static SourcePost ToSourcePost(GraphMedia media, VideoHandling videos)
    {
        var parts = media.MediaType == GraphMedia.CarouselAlbum ? media.Children : [media];
        var images = new List<SourceImage>();
        var skipped = new List<SkippedMedia>();
        if (parts.Count == 0)
        {
            skipped.Add(new SkippedMedia(media.Id, "carousel without children"));
        }

        foreach (var part in parts)
        {
            var (link, reason) = ImageOf(part, videos);
            if (link is not null)
            {
                images.Add(new SourceImage(part.Id, link));
            }
            else
            {
                skipped.Add(new SkippedMedia(part.Id, reason!));
            }
        }

        return new SourcePost(media.Id, images, media.Caption, media.Permalink, media.Timestamp) { Skipped = skipped };
    }

    private static (Uri? Link, string? Reason) ImageOf(GraphMedia part, VideoHandling videos) => part.MediaType switch
    {
        GraphMedia.Image => part.MediaUrl is { } url ? (url, null) : (null, "image without media_url (removed or under copyright review)"),
        GraphMedia.Video when videos == VideoHandling.Skip => (null, "video"),
        GraphMedia.Video => part.ThumbnailUrl is { } thumbnail ? (thumbnail, null) : (null, "video without thumbnail_url"),
        _ => (null, $"unsupported media type '{part.MediaType}'"),
    };
}
