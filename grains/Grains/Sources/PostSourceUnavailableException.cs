namespace Vitrina.Grains.Sources;

/// <summary>The account's source cannot be read at all (missing folder, no permission, API refusal); recorded on the account.</summary>
public sealed class PostSourceUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
