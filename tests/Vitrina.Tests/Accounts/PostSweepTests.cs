using Vitrina.Grains.Accounts;

namespace Vitrina.Tests.Accounts;

public sealed class PostSweepTests
{
    private static HashSet<string> Posts(params int[] ids) => ids.Select(i => $"p{i}").ToHashSet(StringComparer.Ordinal);

    private static HashSet<string> Range(int from, int count) => Posts(Enumerable.Range(from, count).ToArray());

    [Fact]
    public void A_few_posts_gone_are_withdrawn_at_once()
    {
        var (withdraw, unconfirmed) = PostSweep.Gone(Range(0, 20), listed: Range(3, 30), unconfirmed: Posts());

        Assert.Equal(["p0", "p1", "p2"], withdraw);
        Assert.Empty(unconfirmed);
    }

    [Fact]
    public void Most_posts_gone_at_once_wait_for_a_second_listing_to_agree()
    {
        var known = Range(0, 20);
        var first = PostSweep.Gone(known, listed: Range(15, 5), unconfirmed: Posts());
        Assert.Empty(first.Withdraw);
        Assert.Equal(Range(0, 15), first.Unconfirmed);

        // The shop did empty its account: the next reading agrees, and what it agrees on goes.
        var second = PostSweep.Gone(known, listed: Range(16, 4), unconfirmed: first.Unconfirmed);
        Assert.Equal(Range(0, 15).Order(StringComparer.Ordinal), second.Withdraw);
        Assert.Equal(Posts(15), second.Unconfirmed);
    }

    [Fact]
    public void A_listing_cut_short_once_withdraws_nothing()
    {
        var known = Range(0, 20);
        var cut = PostSweep.Gone(known, listed: Range(0, 2), unconfirmed: Posts());
        var whole = PostSweep.Gone(known, listed: Range(0, 21), unconfirmed: cut.Unconfirmed);

        Assert.Empty(cut.Withdraw);
        Assert.Empty(whole.Withdraw);
        Assert.Empty(whole.Unconfirmed);
    }

    [Fact]
    public void A_small_shop_emptied_is_withdrawn_at_once()
    {
        var (withdraw, _) = PostSweep.Gone(Range(0, 4), listed: Posts(), unconfirmed: Posts());

        Assert.Equal(4, withdraw.Count);
    }
}
