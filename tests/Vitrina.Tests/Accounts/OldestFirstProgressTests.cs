using Vitrina.Grains.Accounts;

namespace Vitrina.Tests.Accounts;

public sealed class OldestFirstProgressTests
{
    [Fact]
    public void Posts_finishing_out_of_order_settle_only_behind_every_older_post()
    {
        var progress = new OldestFirstProgress(5);

        Assert.Equal(0..0, progress.Finish(2));
        Assert.Equal(0..0, progress.Finish(1));
        Assert.Equal(0..3, progress.Finish(0)); // the oldest unblocks the two newer ones
        Assert.Equal(3..4, progress.Finish(3));
        Assert.Equal(4, progress.Settled);
    }

    [Fact]
    public void A_post_that_never_finishes_keeps_every_newer_post_unsettled()
    {
        var progress = new OldestFirstProgress(4);

        progress.Finish(0);
        progress.Finish(2);
        progress.Finish(3); // post 1 failed: never finished

        Assert.Equal(1, progress.Settled);
    }
}
