using System.Collections.Concurrent;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// Fresh links read from other shops' media lists, kept a while (<see cref="Lifetime"/>, well inside the hours a signed
/// link lasts): refreshing the expired links of many photos of one shop (retraining, <c>vitrina catalogue thumbnails</c>)
/// reads its list once rather than once per photo.
/// </summary>
internal sealed class MediaLinkCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(20);

    private readonly ConcurrentDictionary<string, Listing> listings = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True when the owner's list was read lately and says: <paramref name="link"/> is the media's link, or null when the
    /// whole list was read and the media is not in it (deleted).
    /// </summary>
    public bool TryGet(string owner, string mediaId, out Uri? link)
    {
        link = null;
        if (!listings.TryGetValue(owner, out var listing) || clock.GetUtcNow() - listing.Read > Lifetime)
        {
            return false;
        }

        return listing.Links.TryGetValue(mediaId, out link) || listing.Complete;
    }

    /// <summary>Starts a fresh reading of the owner's list, replacing one that has aged.</summary>
    public void Begin(string owner)
    {
        var now = clock.GetUtcNow();
        foreach (var (stale, _) in listings.Where(l => now - l.Value.Read > Lifetime))
        {
            listings.TryRemove(stale, out _);
        }

        listings[owner] = new Listing(now);
    }

    /// <summary>A listed media item's link, and its carousel children's: for a video, its cover frame.</summary>
    public void Remember(string owner, GraphMedia media)
    {
        if (!listings.TryGetValue(owner, out var listing))
        {
            return;
        }

        foreach (var item in media.Children.Prepend(media))
        {
            listing.Links[item.Id] = item.MediaType == GraphMedia.Video ? item.ThumbnailUrl : item.MediaUrl;
        }
    }

    /// <summary>The owner's whole list has been read: media not in it are gone.</summary>
    public void Complete(string owner)
    {
        if (listings.TryGetValue(owner, out var listing))
        {
            listing.Complete = true;
        }
    }

    private sealed class Listing(DateTimeOffset read)
    {
        public DateTimeOffset Read { get; } = read;

        public ConcurrentDictionary<string, Uri?> Links { get; } = new(StringComparer.Ordinal);

        public bool Complete { get; set; }
    }
}
