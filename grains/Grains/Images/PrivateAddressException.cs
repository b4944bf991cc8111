namespace Vitrina.Grains.Images;

/// <summary>A photo's host resolves only to addresses <see cref="PublicAddressGuard"/> refuses: no retry will change that.</summary>
public sealed class PrivateAddressException(string message) : IOException(message);
