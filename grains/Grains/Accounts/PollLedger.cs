using Vitrina.Grains.Sources;

namespace Vitrina.Grains.Accounts;

/// <summary>
/// One poll's bookkeeping over an account's state. A post is counted once, when all its images have an outcome, and
/// marked seen only as <see cref="OldestFirstProgress"/> settles it: never ahead of an older post that is still running
/// or failed, because a source that pays per page stops paging where seen posts begin (<c>InstagramPostSource</c>).
/// A post that finished ahead of an unfinished one waits in <see cref="AccountGrainState.FinishedAhead"/>: the next poll
/// lists it again but does not submit it again, and settles it once the older posts are done.
/// </summary>
public sealed class PollLedger
{
    private readonly AccountGrainState state;
    private readonly IReadOnlyList<SourcePost> posts;
    private readonly OldestFirstProgress progress;

    /// <param name="posts">The poll's posts, oldest first.</param>
    public PollLedger(AccountGrainState state, IReadOnlyList<SourcePost> posts)
    {
        this.state = state;
        this.posts = posts;
        progress = new OldestFirstProgress(posts.Count);
        for (var i = 0; i < posts.Count; i++)
        {
            if (state.FinishedAhead.Contains(posts[i].PostId))
            {
                Settle(progress.Finish(i));
            }
        }
    }

    /// <summary>
    /// Whether post <paramref name="index"/> still has to be handed to image grains: not when it finished in an earlier
    /// poll, whether it is still waiting to be settled or was settled when this ledger was made.
    /// </summary>
    public bool NeedsSubmitting(int index) => !state.FinishedAhead.Contains(posts[index].PostId) && !state.SeenPostIds.Contains(posts[index].PostId);

    /// <summary>Counts a post whose images all have an outcome and settles what that unblocks.</summary>
    public (int Submitted, int Failed) Finish(int index, IReadOnlyCollection<ImageOutcome> images)
    {
        var post = posts[index];
        var ok = images.Count(o => o.Status != ImageStatus.Failed);
        state.ImagesSubmitted += ok;
        state.ImagesFailed += images.Count - ok;
        state.MediaSkipped += post.Skipped.Count;
        state.FinishedAhead.Add(post.PostId);
        state.DeferredSince.Remove(post.PostId);
        Settle(progress.Finish(index));
        return (ok, images.Count - ok);
    }

    /// <summary>A post left unfinished by a fetch failure that may pass: remembered from the first time, for the give-up.</summary>
    public void Defer(int index) => state.DeferredSince.TryAdd(posts[index].PostId, DateTimeOffset.UtcNow);

    private void Settle(Range settled)
    {
        for (var i = settled.Start.Value; i < settled.End.Value; i++)
        {
            state.FinishedAhead.Remove(posts[i].PostId);
            state.SeenPostIds.Add(posts[i].PostId);
        }
    }
}
