namespace Vitrina.Grains.Sources;

/// <summary>
/// The account's source cannot be read at all (missing folder, no permission, API refusal); recorded on the account.
/// Sources with richer failures derive from it and say whether polling again can help.
/// </summary>
public class PostSourceUnavailableException(
    string message,
    Exception? inner = null,
    SourceFailureDisposition disposition = SourceFailureDisposition.Retry,
    TimeSpan? retryAfter = null) : Exception(message, inner)
{
    public SourceFailureDisposition Disposition { get; } = disposition;

    /// <summary>The earliest sensible retry, when the source knows it; null means the account's usual poll interval.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
