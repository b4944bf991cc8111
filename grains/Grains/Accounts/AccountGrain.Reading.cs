using Vitrina.Grains.Sources;

namespace Vitrina.Grains.Accounts;

/// <summary>
/// A poll's work: list the source's new posts (all of them when a sweep is due), hand them to image grains oldest
/// first, and record the outcome.
/// </summary>
public sealed partial class AccountGrain
{
    private async Task<PollResult> ReadAndSubmit()
    {
        if (state.State.Source is not { } source)
        {
            return new PollResult(0, 0, 0, "account is not onboarded");
        }

        if (state.State.State == AccountState.Paused)
        {
            return new PollResult(0, 0, 0, "account is paused");
        }

        var newPosts = new List<SourcePost>();
        var newIds = new HashSet<string>(StringComparer.Ordinal);
        var listed = SweepDue() ? new HashSet<string>(StringComparer.Ordinal) : null;
        using var read = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        reading = read;
        try
        {
            var posts = listed is null
                ? sources.For(source).ReadNewPosts(Handle, source, state.State.SeenPostIds, read.Token)
                : sources.For(source).ReadPosts(Handle, source, read.Token);
            await foreach (var post in posts)
            {
                listed?.Add(post.PostId);
                // A post listed twice (a page that shifted while it was read) once: twice it would count its images
                // twice, or hold back every newer post behind the copy that is never finished.
                if (!state.State.SeenPostIds.Contains(post.PostId) && newIds.Add(post.PostId))
                {
                    newPosts.Add(post);
                }
            }
        }
        catch (PostSourceUnavailableException e)
        {
            if (e is { Disposition: not SourceFailureDisposition.Park, RetryAfter: { } after } && after < options.Value.PollInterval)
            {
                // Rate limits and a busy call budget name their own, shorter wait: come back then, not a whole interval later.
                PollSoon(after + TimeSpan.FromSeconds(Random.Shared.NextDouble() * after.TotalSeconds / 2));
            }

            if (e.Disposition == SourceFailureDisposition.Wait)
            {
                // Nothing was tried, so nothing about the account changed: written as a failure, every refusal rewrote
                // the account's whole state and flipped it to Failing, for every shop while the budget is short. Said
                // in its status (held in memory; the next save writes it).
                state.State.LastError = e.Message;
                return new PollResult(0, 0, 0, e.Message);
            }

            var park = e.Disposition == SourceFailureDisposition.Park;
            state.State.ParkedForCredential = park ? e.RefusedCredential : null;
            return await RecordFailure(e.Message, park ? AccountState.Parked : AccountState.Failing);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return new PollResult(0, 0, 0, "silo stopping; the next poll runs elsewhere");
        }
        catch (OperationCanceledException) when (state.State.State == AccountState.Paused)
        {
            return new PollResult(0, 0, 0, "account is paused");
        }
        catch (Exception e)
        {
            // A source failing in a way it does not classify (a folder's file vanishing mid-read): recorded, tried again.
            return await FailAndRetrySoon($"reading posts failed ({e.GetType().Name}: {e.Message}); retried on the next poll");
        }
        finally
        {
            reading = null;
        }

        try
        {
            if (listed is not null)
            {
                await Sweep(listed);
            }

            if (newPosts.Count > 0)
            {
                // Posts back at the shop, or an account onboarded again: their moderator-labelled photos return first.
                await GrainFactory.GetGrain<ICatalogueGrain>(0).Reinstate(Handle, newPosts.Select(p => p.PostId).ToList());
            }
        }
        catch (Exception e)
        {
            // Nothing is submitted either: a post filed before its moderator labels were reinstated would leave them
            // withdrawn for good.
            return await FailAndRetrySoon($"withdrawing or reinstating catalogue photos failed ({e.GetType().Name}: {e.Message}); retried on the next poll");
        }

        newPosts.Reverse(); // oldest first, so the catalogue fills in posting order
        var (handedOver, submitted, failed, resubmitted, deferred, error) = await SubmitAll(newPosts);
        if (error is not null)
        {
            // A silo holding image or classifier grains went away, an image waited past the response timeout in a busy
            // classifier queue, or hit an unexpected error: the unfinished posts stay unseen and are submitted again
            // shortly (their catalogue rows are keyed by image id, so a repeat counts nothing twice).
            return await FailAndRetrySoon(
                $"image processing interrupted ({error.GetType().Name}: {error.Message}); unfinished posts are retried on the next poll");
        }

        if (deferred is { Count: > 0, First: var reason })
        {
            // A CDN outage or rate limit: the rest of the poll went on; the posts it held up come back at the next polls,
            // a minute or more apart so as not to hammer a CDN that is struggling, and no sooner than it asked (within
            // the poll interval).
            PollSoon(RetryBackoff.AfterDeferral(deferred.RetryAfter, options.Value.PollInterval, Random.Shared.NextDouble()));
            var held = $"{deferred.Count} post(s) held up by photos that could not be fetched ({reason}); tried again at the next polls " +
                $"for up to {options.Value.RetryImagesFor:g}, then filed as Failed";
            await RecordFailure(held, AccountState.Failing);
            return new PollResult(handedOver, submitted, failed, held);
        }

        var quiet = newPosts.Count == 0 && listed is null && state.State is { LastError: null, State: AccountState.Active or AccountState.Paused }
            && reportedState == state.State.State // a failed report to the registry is tried again by the next save
            && Environment.TickCount64 - savedAt < (long)QuietPollSaveInterval.TotalMilliseconds;
        var (lastSuccess, failedBefore) = (state.State.LastSuccessfulPoll, failuresInARow);
        state.State.LastPoll = state.State.LastSuccessfulPoll = DateTimeOffset.UtcNow;
        state.State.LastError = null;
        failuresInARow = 0;
        if (state.State.State != AccountState.Paused)
        {
            state.State.State = AccountState.Active;
        }

        if (!quiet)
        {
            try
            {
                await Save();
            }
            catch (Exception e) when (e is not Orleans.Storage.InconsistentStateException)
            {
                // A failure like any other, retried with the same backoff as the failures before it (the storage may be
                // down for an hour), not an error escaping with the poll looking healthy: the next polls, finding
                // nothing new, would have skipped saving for up to an hour.
                (state.State.LastSuccessfulPoll, failuresInARow) = (lastSuccess, failedBefore);
                return await FailAndRetrySoon($"saving the poll's progress failed ({e.GetType().Name}: {e.Message}); the next save writes it");
            }
        }

        if (newPosts.Count > 0)
        {
            logger.LogInformation("Account {Account}: {NewPosts} new posts, {Finished} finished ({Submitted} images catalogued or queued, {Failed} failed), {Resubmitted} posts submitted again after a full classifier queue",
                Handle, newPosts.Count, handedOver, submitted, failed, resubmitted);
        }

        return new PollResult(handedOver, submitted, failed, null);
    }
}
