namespace Vitrina.Grains.Sources;

/// <summary>
/// The account's source cannot be read at all (missing folder, no permission, API refusal); recorded on the account.
/// Sources with richer failures derive from it and say whether polling again can help.
/// </summary>
public class PostSourceUnavailableException(
    string message,
    Exception? inner = null,
    SourceFailureDisposition disposition = SourceFailureDisposition.Retry,
    TimeSpan? retryAfter = null,
    string? refusedCredential = null) : Exception(message, inner)
{
    public SourceFailureDisposition Disposition { get; } = disposition;

    /// <summary>
    /// When the source refused the credential it called with: that credential's <see cref="IPostSource.Credential"/>
    /// name. The account is parked until the source calls with another one.
    /// </summary>
    public string? RefusedCredential { get; } = refusedCredential;

    /// <summary>The earliest sensible retry, when the source knows it; null means the account's usual poll interval.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
