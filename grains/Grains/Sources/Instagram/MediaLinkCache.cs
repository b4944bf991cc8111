using System.Collections.Concurrent;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// Fresh links read from other shops' media lists, kept a while (<see cref="Lifetime"/>, well inside the hours a signed
/// link lasts): refreshing the expired links of many photos of one shop (retraining, <c>vitrina catalogue thumbnails</c>)
/// reads its list once rather than once per photo. Refreshes of one shop take turns on its listing, each reading on
/// from where the last one stopped, so that one read's end never stands for another's half-read list.
/// </summary>
internal sealed class MediaLinkCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(20);

    private readonly ConcurrentDictionary<string, Listing> listings = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The media's link (for a video, its cover frame), or null when the owner's whole list was read and the media is
    /// not in it (deleted). Reads pages of the list through <paramref name="readFrom"/> (from a cursor, null for the
    /// top) only as far as it takes.
    /// </summary>
    public async Task<Uri?> Find(
        string owner, string mediaId, Func<string?, CancellationToken, IAsyncEnumerable<GraphMediaPage>> readFrom, CancellationToken cancellation)
    {
        var listing = Current(owner);
        await listing.Turn.WaitAsync(cancellation);
        try
        {
            if (listing.Links.TryGetValue(mediaId, out var known) || listing.Complete)
            {
                return known;
            }

            try
            {
                return await ReadOn(listing, mediaId, readFrom, cancellation);
            }
            catch (GraphTransientException) when (listing.After is not null)
            {
                // The cursor kept from an earlier refresh died with its post (Meta invalidates those): from the top again.
                listing.After = null;
                return await ReadOn(listing, mediaId, readFrom, cancellation);
            }
        }
        finally
        {
            listing.Turn.Release();
        }
    }

    private static async Task<Uri?> ReadOn(
        Listing listing, string mediaId, Func<string?, CancellationToken, IAsyncEnumerable<GraphMediaPage>> readFrom, CancellationToken cancellation)
    {
        await foreach (var page in readFrom(listing.After, cancellation))
        {
            foreach (var item in page.Items.SelectMany(media => media.Children.Prepend(media)))
            {
                listing.Links[item.Id] = item.MediaType == GraphMedia.Video ? item.ThumbnailUrl : item.MediaUrl;
            }

            listing.After = page.After;
            listing.Complete = page.After is null;
            if (listing.Links.TryGetValue(mediaId, out var found))
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The owner's listing, a fresh one when the last has aged; aged listings of other owners are dropped.</summary>
    private Listing Current(string owner)
    {
        var now = clock.GetUtcNow();
        if (listings.TryGetValue(owner, out var listing) && now - listing.Read <= Lifetime)
        {
            return listing;
        }

        foreach (var (stale, old) in listings.Where(l => now - l.Value.Read > Lifetime))
        {
            listings.TryRemove(new KeyValuePair<string, Listing>(stale, old));
        }

        // Two refreshes finding it aged together agree on one fresh listing.
        return listings.AddOrUpdate(owner, _ => new Listing(now), (_, existing) => now - existing.Read <= Lifetime ? existing : new Listing(now));
    }

    private sealed class Listing(DateTimeOffset read)
    {
        public DateTimeOffset Read { get; } = read;

        /// <summary>One refresh at a time reads the list on; the others wait and most often find their link read.</summary>
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public Dictionary<string, Uri?> Links { get; } = new(StringComparer.Ordinal);

        /// <summary>Where the next page starts; null before the first page and after the last.</summary>
        public string? After { get; set; }

        public bool Complete { get; set; }
    }
}
