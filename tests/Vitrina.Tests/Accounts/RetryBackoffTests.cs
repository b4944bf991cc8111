using Vitrina.Grains.Accounts;

namespace Vitrina.Tests.Accounts;

public sealed class RetryBackoffTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public void Failures_in_a_row_come_back_less_soon_until_the_regular_poll_comes_first()
    {
        var earliest = Enumerable.Range(0, 6).Select(n => RetryBackoff.After(n, FiveMinutes, jitter: 0)).ToList();
        var latest = Enumerable.Range(0, 6).Select(n => RetryBackoff.After(n, FiveMinutes, jitter: 0.999)).ToList();

        Assert.Equal([15, 30, 60, 120, 240, null], earliest.Select(w => w?.TotalSeconds));
        Assert.Equal([30, 60, 120, 240, null, null], latest.Select(w => w is { } wait ? Math.Round(wait.TotalSeconds) : (double?)null));
    }

    [Fact]
    public void A_long_outage_never_overflows_the_wait() =>
        Assert.Equal(TimeSpan.FromSeconds(15 * 65536 * 1.5), RetryBackoff.After(int.MaxValue, TimeSpan.FromDays(365), jitter: 0.5));

    [Theory]
    [InlineData(null, 60)]
    [InlineData(5, 60)] // waited for within the poll already
    [InlineData(600, 600)]
    public void Held_up_posts_come_back_a_minute_later_or_when_the_cdn_asked(int? retryAfterSeconds, int seconds)
    {
        TimeSpan? retryAfter = retryAfterSeconds is { } s ? TimeSpan.FromSeconds(s) : null;
        var hourly = TimeSpan.FromHours(1);

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryBackoff.AfterDeferral(retryAfter, hourly, jitter: 0));
        Assert.Equal(TimeSpan.FromSeconds(seconds + 15), RetryBackoff.AfterDeferral(retryAfter, hourly, jitter: 0.5));
    }

    [Fact]
    public void A_cdn_asking_for_days_waits_no_longer_than_the_next_regular_poll() =>
        Assert.Equal(TimeSpan.FromMinutes(5), RetryBackoff.AfterDeferral(TimeSpan.FromDays(60), TimeSpan.FromMinutes(5), jitter: 0.5));
}
