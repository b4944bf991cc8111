namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// The API refused the call for rate (codes 4, 17, 32, 613, 80001-80014). Retried by the caller after
/// <see cref="PostSourceUnavailableException.RetryAfter"/>, never by the HTTP handler: retrying sooner extends the block.
/// </summary>
public sealed class GraphRateLimitedException(string message, int? httpStatus, GraphError error, TimeSpan retryAfter)
    : GraphApiException(message, SourceFailureDisposition.Retry, httpStatus, error, retryAfter: retryAfter)
{
    public new TimeSpan RetryAfter => base.RetryAfter!.Value;
}
