namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// A failure that may pass by itself: 5xx, timeouts, network errors, HTML error pages, broken JSON, errors the API
/// marks transient. Raised after the HTTP handler's own retries; the account tries again at its next poll.
/// </summary>
public sealed class GraphTransientException(string message, int? httpStatus, GraphError? error, Exception? inner = null)
    : GraphApiException(message, SourceFailureDisposition.Retry, httpStatus, error, inner);
