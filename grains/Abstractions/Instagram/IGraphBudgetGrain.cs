namespace Vitrina.Instagram;

/// <summary>
/// The one call budget of our Graph API app, shared by every silo (key: the app's name, usually <c>default</c>). Each
/// API call first asks it for a permit; it spaces calls evenly over the budget, stretches the spacing when the usage
/// headers say the app is close to its limit, and stops everyone until the time a rate-limit error names.
/// </summary>
[Alias("Vitrina.IGraphBudgetGrain")]
public interface IGraphBudgetGrain : IGrainWithStringKey
{
    /// <summary>
    /// Reserves one call and says how long the caller must wait before making it; refuses (nothing reserved) when that
    /// wait would be longer than <paramref name="longestWait"/>, so the caller comes back later instead of blocking.
    /// </summary>
    [Alias("TryReserve")]
    Task<GraphPermit> TryReserve(TimeSpan longestWait);

    /// <summary>
    /// A granted permit whose caller stopped waiting for it (its deadline passed): the slot goes to the next caller
    /// while it is still ahead. Kept, it would hold every later call back by one spacing for a call never made.
    /// </summary>
    [Alias("Return")]
    Task Return(DateTimeOffset at);

    /// <summary>The highest usage percentage the latest answer's headers reported.</summary>
    [Alias("ReportUsage")]
    Task ReportUsage(int percent);

    /// <summary>A rate-limit error: no calls from anyone for <paramref name="retryAfter"/>.</summary>
    [Alias("ReportRateLimited")]
    Task ReportRateLimited(TimeSpan retryAfter);

    [Alias("GetState"), Orleans.Concurrency.AlwaysInterleave]
    Task<GraphBudgetState> GetState();
}
