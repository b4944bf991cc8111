namespace Vitrina.Grains.Sources.Instagram;

/// <summary>What to do with a video: the catalogue holds photos, so by default videos are skipped.</summary>
public enum VideoHandling
{
    Skip,

    /// <summary>Catalogue the video's cover frame (<c>thumbnail_url</c>).</summary>
    Thumbnail,
}
