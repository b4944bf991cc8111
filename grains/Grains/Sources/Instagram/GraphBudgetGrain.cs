using Microsoft.Extensions.Options;
using Vitrina.Grains.Placement;
using Vitrina.Instagram;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// Hands out Graph API call permits for the whole cluster, spaced evenly over 85% of the budget
/// (<see cref="InstagramOptions.CallBudget"/> calls per <see cref="InstagramOptions.BudgetWindow"/>): pacing at exactly
/// the limit puts any rolling window that catches a little jitter over it. Above
/// <see cref="InstagramOptions.SlowDownAtUsagePercent"/> of the API's own usage figures the spacing stretches, up to
/// four times at 100%; a rate-limit error stops every permit until the time it names. Its state is deliberately in
/// memory: after a restart it starts from an even pace again, and the usage headers of the next answers correct it.
/// </summary>
[SiloRole(SiloRoles.Ingest)]
public sealed class GraphBudgetGrain(IOptionsMonitor<InstagramOptions> options, TimeProvider time, ILogger<GraphBudgetGrain> logger)
    : Grain, IGraphBudgetGrain
{
    private const double Headroom = 0.85;
    private DateTimeOffset nextFree = DateTimeOffset.MinValue;
    private DateTimeOffset? blockedUntil;
    private readonly SortedSet<DateTimeOffset> returned = [];
    private int usagePercent;
    private long granted;
    private long refused;

    private InstagramOptions Settings => options.CurrentValue;

    /// <summary>The gap between permits: the even share of the window, stretched as usage approaches the limit.</summary>
    private TimeSpan Spacing
    {
        get
        {
            var even = Settings.BudgetWindow / Math.Max(1, Settings.CallBudget * Headroom);
            var threshold = Math.Clamp(Settings.SlowDownAtUsagePercent, 1, 99);
            var over = Math.Clamp((usagePercent - threshold) / (100.0 - threshold), 0, 1);
            return even * (1 + 3 * over);
        }
    }

    public Task<GraphPermit> TryReserve(TimeSpan longestWait)
    {
        var now = time.GetUtcNow();
        if (blockedUntil <= now)
        {
            logger.LogInformation("Graph API calls resume: Meta's rate limit block ended at {Until:u}", blockedUntil);
            blockedUntil = null;
        }

        var start = nextFree > now ? nextFree : now;
        if (blockedUntil is { } blocked && blocked > start)
        {
            start = blocked;
        }

        // A slot given back, still ahead and earlier than the next free one, goes first: the pace stays as planned.
        returned.RemoveWhere(slot => slot < now || slot < blockedUntil);
        DateTimeOffset? givenBack = returned.Count > 0 && returned.Min < start ? returned.Min : null;
        var at = givenBack ?? start;
        if (at - now > longestWait)
        {
            refused++;
            GraphMetrics.RecordRefused();
            return Task.FromResult(new GraphPermit(false, at - now - longestWait));
        }

        granted++;
        if (givenBack is { } slot)
        {
            returned.Remove(slot);
        }
        else
        {
            nextFree = start + Spacing;
        }

        return Task.FromResult(new GraphPermit(true, at - now, at));
    }

    public Task Return(DateTimeOffset at)
    {
        if (at > time.GetUtcNow())
        {
            returned.Add(at);
        }

        return Task.CompletedTask;
    }

    public Task ReportUsage(int percent)
    {
        usagePercent = percent;
        return Task.CompletedTask;
    }

    public Task ReportRateLimited(TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        var until = now + retryAfter;
        if (blockedUntil is null || blockedUntil <= now)
        {
            // Every poll of the cluster waits from here on, quietly (polls the budget refuses log nothing): say it once.
            // The calls in flight when it came are answered alike and only extend it.
            logger.LogWarning("Meta rate-limited the app: no Graph API call until {Until:u} ({RetryAfter}); polls wait, nothing fails",
                until, retryAfter);
            GraphMetrics.RecordBlock();
            blockedUntil = until;
        }
        else if (until > blockedUntil)
        {
            blockedUntil = until;
        }

        usagePercent = 100;
        return Task.CompletedTask;
    }

    public Task<GraphBudgetState> GetState() => Task.FromResult(new GraphBudgetState
    {
        CallsPerWindow = Settings.CallBudget,
        Window = Settings.BudgetWindow,
        Granted = granted,
        Refused = refused,
        LastUsagePercent = usagePercent,
        BlockedUntil = blockedUntil > time.GetUtcNow() ? blockedUntil : null,
        Spacing = Spacing,
    });
}
