namespace Vitrina.Training.Images;

/// <summary>A photo that cannot be prepared; <see cref="Exception.Message"/> says why in words an operator can act on.</summary>
public sealed class ImageRejectedException(string message, Exception? inner = null) : Exception(message, inner);
