namespace Vitrina.Grains.Images;

/// <summary>An image's bytes could not be fetched from where its post said they are.</summary>
public sealed class ImageFetchException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The link was signed and has expired: the source can hand out a fresh one.</summary>
    public bool LinkExpired { get; init; }

    /// <summary>
    /// The failure may pass (a 5xx, 408 or 429 answer, a connection that failed or stalled, a file another process holds):
    /// the photo is tried again later instead of being filed as Failed.
    /// </summary>
    public bool Transient { get; init; }

    /// <summary>How long the server asked us to stay away (its <c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
