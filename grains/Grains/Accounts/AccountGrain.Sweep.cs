namespace Vitrina.Grains.Accounts;

/// <summary>
/// The sweep: now and then a poll reads the whole post list, and the photos of posts no longer in it leave the shelves.
/// </summary>
public sealed partial class AccountGrain
{
    private bool SweepDue()
    {
        if (options.Value.SweepInterval <= TimeSpan.Zero || state.State.SeenPostIds.Count + state.State.FinishedAhead.Count + state.State.DeferredSince.Count == 0)
        {
            return false;
        }

        state.State.LastSweep ??= SpreadSweep(); // accounts onboarded before sweeps existed: spread theirs too
        return DateTimeOffset.UtcNow - state.State.LastSweep >= options.Value.SweepInterval;
    }

    /// <summary>
    /// A last sweep somewhere in the past interval, so that accounts onboarded together (an import of thousands) do not
    /// sweep together every day and draw on the call budget at once.
    /// </summary>
    private DateTimeOffset SpreadSweep() => DateTimeOffset.UtcNow - options.Value.SweepInterval * Random.Shared.NextDouble();

    /// <summary>
    /// After a complete reading of the post list: withdraws the photos of known posts that are gone (<see cref="PostSweep"/>)
    /// and forgets those posts, so that a post that reappears is filed again. Known means handed over, or with a photo
    /// in the catalogue: a post half filed by an interrupted poll and deleted before the next is neither seen nor
    /// listed again, but its photos must go too.
    /// </summary>
    private async Task Sweep(IReadOnlySet<string> listed)
    {
        var catalogued = await GrainFactory.GetGrain<ICatalogueGrain>(0).ActivePostIds(Handle);
        var known = state.State.SeenPostIds.Concat(state.State.FinishedAhead).Union(catalogued, StringComparer.Ordinal).ToList();
        var (withdraw, unconfirmed) = PostSweep.Gone(known, listed, state.State.UnconfirmedGone);
        if (withdraw.Count > 0)
        {
            var rows = await GrainFactory.GetGrain<ICatalogueGrain>(0).Withdraw(Handle, withdraw);
            state.State.SeenPostIds.ExceptWith(withdraw);
            state.State.FinishedAhead.ExceptWith(withdraw);
            state.State.PostsWithdrawn += withdraw.Count;
            logger.LogInformation("Account {Account}: {Posts} posts gone from the source, {Rows} catalogue photos withdrawn", Handle, withdraw.Count, rows);
        }

        // A post held up by its photo and deleted before it was filed is neither known nor listed: its retry clock
        // would stay in the state for good.
        foreach (var gone in state.State.DeferredSince.Keys.Where(post => !listed.Contains(post)).ToList())
        {
            state.State.DeferredSince.Remove(gone);
        }

        state.State.UnconfirmedGone = unconfirmed;
        if (unconfirmed.Count > 0)
        {
            // Checked again on the next poll rather than a whole sweep interval later.
            logger.LogWarning("Account {Account}: {Gone} of its {Known} posts are missing from the source's list; they are withdrawn if the next reading agrees",
                Handle, unconfirmed.Count, known.Count);
        }

        state.State.LastSweep = unconfirmed.Count > 0 ? DateTimeOffset.MinValue : DateTimeOffset.UtcNow;
        await Save();
    }
}
