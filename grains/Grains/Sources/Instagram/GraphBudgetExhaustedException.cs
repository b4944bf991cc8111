namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// Our own shared call budget has no permit for this call soon enough (the app is near or past its limit): the poll is
/// deferred, not failed, and no call is made, so the app never trips the API's rate limit.
/// </summary>
public sealed class GraphBudgetExhaustedException(string message, TimeSpan retryAfter)
    : PostSourceUnavailableException(message, null, SourceFailureDisposition.Wait, retryAfter);
