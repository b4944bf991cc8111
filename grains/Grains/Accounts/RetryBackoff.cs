namespace Vitrina.Grains.Accounts;

/// <summary>
/// When an account polls again after a poll that did not go through. One that failed in a way that may pass: 15-30 s
/// after the first failure, doubling with each failure in a row. Held at 15-30 s, an hour's database or classifier
/// outage brought every account back about 160 times, each time listing its posts and fetching its photos again.
/// </summary>
public static class RetryBackoff
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(15);

    /// <param name="failuresInARow">Failures before this one since the last poll that went through.</param>
    /// <param name="jitter">A uniform draw in [0, 1): the accounts of one outage must not come back together.</param>
    /// <returns>The wait, or null when it would reach the poll interval: the regular poll comes first.</returns>
    public static TimeSpan? After(int failuresInARow, TimeSpan pollInterval, double jitter)
    {
        var wait = First * Math.Pow(2, Math.Min(failuresInARow, 16)) * (1 + jitter);
        return wait < pollInterval ? wait : null;
    }

    private static readonly TimeSpan AfterOutage = TimeSpan.FromMinutes(1);

    /// <summary>
    /// When posts held up by photos that could not be fetched are tried again: a minute or more later, so as not to
    /// hammer a CDN that is struggling, and no sooner than the longest <c>Retry-After</c> it sent, but no later than the
    /// next regular poll: the account's polls wait for this one, and a CDN's figure has no upper bound (a day's wait
    /// held every post of the shop for a day, and one of weeks was more than a grain timer takes).
    /// </summary>
    public static TimeSpan AfterDeferral(TimeSpan? retryAfter, TimeSpan pollInterval, double jitter)
    {
        var spread = TimeSpan.FromSeconds(30 * jitter);
        var wait = (retryAfter > AfterOutage ? retryAfter.Value : AfterOutage) + spread;
        return wait < pollInterval ? wait : pollInterval;
    }
}
