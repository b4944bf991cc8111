namespace Vitrina.Grains.Images;

/// <summary>An image's bytes could not be fetched from where its post said they are.</summary>
public sealed class ImageFetchException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The link was signed and has expired: the source can hand out a fresh one.</summary>
    public bool LinkExpired { get; init; }
}
