using Microsoft.Extensions.Options;
using Vitrina.Instagram;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>The cluster-wide call budget (<see cref="IGraphBudgetGrain"/>) seen from one silo's Graph API client.</summary>
public sealed class GraphBudgetGate(IGrainFactory grains, IOptionsMonitor<InstagramOptions> options) : IGraphCallGate
{
    private IGraphBudgetGrain Budget => grains.GetGrain<IGraphBudgetGrain>(options.CurrentValue.AppName);

    public async Task Enter(string subject, CancellationToken cancellation)
    {
        var longest = options.CurrentValue.LongestPermitWait;
        if (await Budget.TryReserve(longest) is not { } wait)
        {
            throw new GraphBudgetExhaustedException(
                $"{subject}: the app's Graph API call budget ({options.CurrentValue.CallBudget} calls per {options.CurrentValue.BudgetWindow}) " +
                $"has no call free within {longest}; the poll is deferred", longest);
        }

        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellation);
        }
    }

    public Task ReportUsage(GraphUsage usage) => Budget.ReportUsage(usage.MaxPercent);

    public Task ReportRateLimited(TimeSpan retryAfter) => Budget.ReportRateLimited(retryAfter);
}
