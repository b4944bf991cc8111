using Vitrina.Grains.Accounts;
using Vitrina.Grains.Sources;
using Vitrina.Images;

namespace Vitrina.Tests.Accounts;

public sealed class PollLedgerTests
{
    private static List<SourcePost> Posts(params string[] ids) =>
        ids.Select(id => new SourcePost(id, [new SourceImage(id, new Uri($"file:///{id}.jpg"))], null, null, null)).ToList();

    private static ImageOutcome[] Catalogued(string id) => [new ImageOutcome { ImageId = id, Status = ImageStatus.Catalogued }];

    [Fact]
    public void A_failed_post_keeps_newer_finished_ones_unseen_but_counted_and_the_next_poll_settles_them_without_resubmitting()
    {
        var state = new AccountGrainState();

        // First poll, oldest first: p2 fails (its image call threw), p3 and p4 finish after it, p5 never starts.
        var first = new PollLedger(state, Posts("p1", "p2", "p3", "p4", "p5"));
        first.Finish(0, Catalogued("p1"));
        first.Finish(2, Catalogued("p3"));
        first.Finish(3, Catalogued("p4"));

        Assert.Equal(["p1"], state.SeenPostIds.Order());
        Assert.Equal(["p3", "p4"], state.FinishedAhead.Order());
        Assert.Equal(3, state.ImagesSubmitted);

        // The next poll lists every post not seen; only p2 and p5 go to image grains again.
        var next = new PollLedger(state, Posts("p2", "p3", "p4", "p5"));
        Assert.Equal([true, false, false, true], Enumerable.Range(0, 4).Select(next.NeedsSubmitting));
        next.Finish(3, Catalogued("p5"));
        Assert.Equal(["p1"], state.SeenPostIds.Order()); // p2 still holds back everything newer
        next.Finish(0, Catalogued("p2"));

        Assert.Equal(["p1", "p2", "p3", "p4", "p5"], state.SeenPostIds.Order());
        Assert.Empty(state.FinishedAhead);
        Assert.Equal(5, state.ImagesSubmitted); // each post counted once
    }

    [Fact]
    public void Posts_finished_ahead_that_open_a_poll_are_settled_at_once()
    {
        var state = new AccountGrainState { FinishedAhead = ["p1", "p2"] };

        var ledger = new PollLedger(state, Posts("p1", "p2", "p3"));

        Assert.Equal(["p1", "p2"], state.SeenPostIds.Order());
        Assert.Equal([false, false, true], Enumerable.Range(0, 3).Select(ledger.NeedsSubmitting));
    }
}
