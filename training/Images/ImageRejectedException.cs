namespace Vitrina.Training.Images;

/// <summary>A photo that cannot be prepared; <see cref="Exception.Message"/> says why in words an operator can act on.</summary>
public sealed class ImageRejectedException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// The decoder threw (a null reference, an index out of range...) rather than naming what is wrong with the data:
    /// usually a damaged photo, but a bug in the decoding path fails every photo alike, and only the stack tells which.
    /// </summary>
    public bool DecoderFailed { get; init; }
}
