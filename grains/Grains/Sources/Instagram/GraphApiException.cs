namespace Vitrina.Grains.Sources.Instagram;

/// <summary>A Graph API call failed; the subclass says how, the message says what, where, and never the token.</summary>
public abstract class GraphApiException(
    string message, SourceFailureDisposition disposition, int? httpStatus, GraphError? error, Exception? inner = null, TimeSpan? retryAfter = null,
    string? refusedCredential = null)
    : PostSourceUnavailableException(message, inner, disposition, retryAfter, refusedCredential)
{
    /// <summary>The HTTP status of the failed answer; null when no answer came (timeout, network).</summary>
    public int? HttpStatus { get; } = httpStatus;

    /// <summary>The Graph API's own error, when the answer carried one.</summary>
    public GraphError? Error { get; } = error;
}
