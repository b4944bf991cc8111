namespace Vitrina.Grains.Accounts;

/// <summary>
/// Which of an account's known posts a complete reading of its post list shows to be gone (sold and deleted, archived),
/// so their photos leave the shelves. Incremental polls read only the newest posts and cannot tell.
/// A sweep that finds more than half of the account's posts gone (at least <see cref="MassMinimum"/>) withdraws only
/// the posts the previous sweep found gone too: a listing cut short without an error must not empty a shop's shelves,
/// while a shop that really emptied its account is withdrawn one sweep later.
/// </summary>
public static class PostSweep
{
    public const int MassMinimum = 10;

    /// <param name="known">Posts handed over already (seen, or finished ahead of older ones).</param>
    /// <param name="listed">Every post the source listed.</param>
    /// <param name="unconfirmed">What the previous sweep found gone without withdrawing it.</param>
    /// <returns>The posts to withdraw now, and those to check again on the next sweep.</returns>
    public static (IReadOnlyList<string> Withdraw, HashSet<string> Unconfirmed) Gone(
        IReadOnlyCollection<string> known, IReadOnlySet<string> listed, IReadOnlySet<string> unconfirmed)
    {
        var gone = known.Where(id => !listed.Contains(id)).Order(StringComparer.Ordinal).ToList();
        if (gone.Count < MassMinimum || gone.Count * 2 <= known.Count)
        {
            return (gone, new HashSet<string>(StringComparer.Ordinal));
        }

        var confirmed = gone.Where(unconfirmed.Contains).ToList();
        return (confirmed, gone.Where(id => !unconfirmed.Contains(id)).ToHashSet(StringComparer.Ordinal));
    }
}
