namespace Vitrina.Grains.Sources;

/// <summary>
/// Gives a fresh link for a media item whose signed link expired (Instagram's CDN answers 403 "URL signature expired"
/// some hours after the listing).
/// </summary>
public interface IMediaUrlRefresher
{
    /// <summary>A fresh image link for the media id of <paramref name="owner"/>'s (an account handle), or null when the media is gone or has no image.</summary>
    Task<Uri?> RefreshMediaUrl(string mediaId, string owner, CancellationToken cancellation);
}
