using Microsoft.Extensions.Options;
using Vitrina.Instagram;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>The cluster-wide call budget (<see cref="IGraphBudgetGrain"/>) seen from one silo's Graph API client.</summary>
public sealed class GraphBudgetGate(IGrainFactory grains, IOptionsMonitor<InstagramOptions> options) : IGraphCallGate
{
    private IGraphBudgetGrain Budget => grains.GetGrain<IGraphBudgetGrain>(options.CurrentValue.AppName);

    public async Task Enter(string subject, bool continuesRead, CancellationToken cancellation)
    {
        var settings = options.CurrentValue;
        // A read under way reserves further ahead than a new one may: while it holds calls in the queue, new polls are
        // refused and come back later, so the reads that have begun finish rather than all of them failing part-way.
        var longest = continuesRead && settings.LongestNextPageWait > settings.LongestPermitWait ? settings.LongestNextPageWait : settings.LongestPermitWait;
        var permit = await Budget.TryReserve(longest);
        if (!permit.Granted)
        {
            // Come back once the permits already handed out are mostly used, not sooner: a refused poll that retried
            // at once would only be refused again.
            throw new GraphBudgetExhaustedException(
                $"{subject}: the app's Graph API call budget ({settings.CallBudget} calls per {settings.BudgetWindow}) " +
                $"has no call free within {longest}; the poll is deferred by {permit.Wait + longest / 4:g}", permit.Wait + longest / 4);
        }

        if (permit.Wait > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(permit.Wait, cancellation);
            }
            catch (OperationCanceledException)
            {
                // Not awaited: a caller stopping (its deadline passed, the silo shutting down) must not wait on the budget.
                _ = GiveBack(permit);
                throw;
            }
        }
    }

    private async Task GiveBack(GraphPermit permit)
    {
        try
        {
            await Budget.Return(permit.At);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The caller's own cancellation is what it must hear about; a slot not given back only delays later calls.
        }
    }

    public Task ReportUsage(GraphUsage usage) => Budget.ReportUsage(usage.MaxPercent);

    public Task ReportRateLimited(TimeSpan retryAfter) => Budget.ReportRateLimited(retryAfter);
}
