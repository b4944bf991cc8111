using Vitrina.Grains.Classification;
using Vitrina.Grains.Sources;

namespace Vitrina.Grains.Accounts;

/// <summary>
/// Posts to image grains: at most a window of them in flight, each counted once all its images have an outcome, and
/// saved as the poll goes.
/// </summary>
public sealed partial class AccountGrain
{
    /// <summary>
    /// Keeps <see cref="PostWindow.Size"/> posts in flight (up to <see cref="AccountOptions.ImageConcurrency"/>),
    /// starting the next as soon as one finishes (a chunk-at-a-time loop waited for each chunk's slowest photo);
    /// <see cref="PollLedger"/> counts them and marks them seen. A post whose photo a full classifier queue handed back
    /// narrows the window and is submitted again, oldest first, within this poll. Progress is saved every
    /// <see cref="AccountOptions.ImageConcurrency"/> posts, or every eighth of the posts seen so far when that is more:
    /// each save writes the whole set of seen posts, so a fixed cadence made onboarding a shop of n posts write on the
    /// order of n² post ids. A silo dying loses at most that much progress, which the next poll redoes without counting
    /// anything twice. After the first error, when the account is paused or when the silo stops, no new post starts and
    /// the ones in flight are waited for.
    /// </summary>
    private async Task<(int HandedOver, int Submitted, int Failed, int Resubmitted, (int Count, string? First, TimeSpan? RetryAfter) Deferred, Exception? Error)> SubmitAll(
        List<SourcePost> posts)
    {
        var saveEvery = Math.Max(1, options.Value.ImageConcurrency);
        var ledger = new PollLedger(state.State, posts);
        var next = 0;
        var handedBack = new SortedSet<int>();
        var running = new Dictionary<Task<ImageOutcome[]>, (int Index, int Generation)>();
        int handedOver = 0, submitted = 0, failed = 0, resubmitted = 0, unsaved = 0;
        (int Count, string? First, TimeSpan? RetryAfter) deferred = (0, null, null);
        Exception? error = null;
        while (true)
        {
            var stopping = lifetime.ApplicationStopping.IsCancellationRequested || state.State.State == AccountState.Paused;
            while (error is null && !stopping && running.Count < window.Size && (handedBack.Count > 0 || next < posts.Count))
            {
                int index;
                if (handedBack.Count > 0)
                {
                    index = handedBack.Min;
                    handedBack.Remove(index);
                    resubmitted++;
                }
                else if (ledger.NeedsSubmitting(next))
                {
                    index = next++;
                }
                else
                {
                    next++;
                    continue;
                }

                running.Add(SubmitPost(posts[index]), (index, window.Generation));
            }

            if (running.Count == 0)
            {
                var left = posts.Count - next + handedBack.Count;
                if (stopping && left > 0)
                {
                    // The rest is handed back: to the reminder on another silo, or to the poll after Resume.
                    logger.LogInformation("Account {Account}: {Reason}, {Left} posts left for the next poll",
                        Handle, state.State.State == AccountState.Paused ? "paused" : "silo stopping", left);
                }

                break;
            }

            var finished = await Task.WhenAny(running.Keys);
            var (finishedIndex, generation) = running[finished];
            running.Remove(finished);
            try
            {
                var (ok, bad) = ledger.Finish(finishedIndex, await finished);
                (submitted, failed, handedOver) = (submitted + ok, failed + bad, handedOver + 1);
                window.Finished();
            }
            catch (ClassifierQueueFullException)
            {
                // Backpressure, not failure: nothing of the post was lost (its filed photos are filed again in place).
                window.HandedBack(generation);
                handedBack.Add(finishedIndex);
                continue;
            }
            catch (ImageDeferredException e)
            {
                // Not an error of the poll's: the other posts go on, this one stays unfinished for a later poll.
                ledger.Defer(finishedIndex);
                var longest = e.RetryAfter > deferred.RetryAfter ? e.RetryAfter : deferred.RetryAfter ?? e.RetryAfter;
                deferred = (deferred.Count + 1, deferred.First ?? e.Message, longest);
                continue;
            }
            catch (Exception e)
            {
                error ??= e;
                continue;
            }

            if (++unsaved >= Math.Max(saveEvery, state.State.SeenPostIds.Count / 8))
            {
                try
                {
                    await Save();
                    unsaved = 0;
                }
                catch (Exception e)
                {
                    // The storage failing mid-poll: the posts in flight still finish and are counted, none starts, and the
                    // poll fails and is retried soon, so that nothing runs on unsaved behind a Remove or Pause that follows.
                    error ??= e;
                }
            }
        }

        return (handedOver, submitted, failed, resubmitted, deferred, error); // the caller saves the rest with the poll's outcome
    }

    private async Task<ImageOutcome[]> SubmitPost(SourcePost post)
    {
        // The image grain gives up a little before this call would time out, and says so; past the deadline it files
        // nothing, so a photo counted unfinished here is filed by the next poll only, or never once the account is removed.
        // A second at least: its TimeoutException must reach us inside our call's own timeout, not be dropped after it.
        var timeout = messaging.Value.ResponseTimeout;
        var deadline = DateTimeOffset.UtcNow + timeout - TimeSpan.FromTicks(Math.Min(Math.Max(timeout.Ticks / 20, TimeSpan.TicksPerSecond), timeout.Ticks / 2));
        var lastAttempt = options.Value.RetryImagesFor == TimeSpan.Zero
            || state.State.DeferredSince.TryGetValue(post.PostId, out var since) && DateTimeOffset.UtcNow - since >= options.Value.RetryImagesFor;
        var work = post.Images.Select(image => new ImageWork
        {
            ImageId = $"{Handle}/{image.MediaId}",
            Account = Handle,
            PostId = post.PostId,
            Source = image.Location,
            Caption = post.Caption,
            Permalink = post.Permalink,
            PostedAt = post.PostedAt,
            MediaId = image.MediaId,
            SourceKind = state.State.Source?.Kind,
            Deadline = deadline,
            LastAttempt = lastAttempt,
        });
        return await Task.WhenAll(work.Select(w => GrainFactory.GetGrain<IImageGrain>(IImageGrain.Key).Process(w)));
    }
}
