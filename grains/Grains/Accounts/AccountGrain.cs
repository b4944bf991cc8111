using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vitrina.Grains.Placement;
using Vitrina.Grains.Sources;

namespace Vitrina.Grains.Accounts;

/// <summary>
/// Follows one shop account: on each poll it lists the source's posts and hands every image of every post it has not
/// seen to its image grain, marking the post seen only after all its images have an outcome. A poll interrupted
/// half-way (a silo stopping or dying) re-submits only unfinished posts, and image grains ignore repeats, so nothing is
/// lost or doubled. Polls are driven by a durable reminder, so an account keeps being polled wherever it reactivates.
/// </summary>
[SiloRole(SiloRoles.Ingest)]
public sealed class AccountGrain(
    [PersistentState("account", "vitrina")] IPersistentState<AccountGrainState> state,
    PostSources sources,
    IOptions<AccountOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain, IRemindable
{
    private const string PollReminder = "poll";
    private bool pollScheduled;

    private string Handle => this.GetPrimaryKeyString();

    public async Task<AccountStatus> Onboard(AccountSource source)
    {
        state.State.Source = source;
        state.State.State = AccountState.Active;
        state.State.LastError = null;
        await state.WriteStateAsync();
        await AccountRegistry.For(GrainFactory, Handle).Register(Handle);
        // Jitter spreads the periodic polls of accounts onboarded together over the whole interval.
        var interval = options.Value.PollInterval;
        await this.RegisterOrUpdateReminder(PollReminder, interval * Random.Shared.NextDouble(), interval);
        logger.LogInformation("Account {Account} onboarded from {SourceKind} {SourceLocation}", Handle, source.Kind, source.Location);
        PollSoon();
        return Status();
    }

    /// <summary>
    /// Schedules the poll instead of running it inside the tick: a poll may take minutes, and a reminder tick that has
    /// not returned within the response timeout is reported as failed.
    /// </summary>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.State is AccountState.Active or AccountState.Failing)
        {
            PollSoon();
        }

        return Task.CompletedTask;
    }

    public async Task<PollResult> Poll()
    {
        if (state.State.Source is not { } source)
        {
            return new PollResult(0, 0, 0, "account is not onboarded");
        }

        var newPosts = new List<SourcePost>();
        try
        {
            await foreach (var post in sources.For(source).ReadNewPosts(Handle, source, state.State.SeenPostIds, lifetime.ApplicationStopping))
            {
                newPosts.Add(post);
            }
        }
        catch (PostSourceUnavailableException e)
        {
            if (e is { Disposition: SourceFailureDisposition.Retry, RetryAfter: { } after } && after < options.Value.PollInterval)
            {
                // Rate limits and a busy call budget name their own, shorter wait: come back then, not a whole interval later.
                PollSoon(after + TimeSpan.FromSeconds(Random.Shared.NextDouble() * after.TotalSeconds / 2));
            }

            return await RecordFailure(e.Message, e.Disposition == SourceFailureDisposition.Park ? AccountState.Parked : AccountState.Failing);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return new PollResult(0, 0, 0, "silo stopping; the next poll runs elsewhere");
        }

        newPosts.Reverse(); // oldest first, so the catalogue fills in posting order
        int submitted = 0, failed = 0, handedOver = 0;
        foreach (var chunk in newPosts.Chunk(options.Value.ImageConcurrency))
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                // The silo is stopping: hand the rest back; the reminder resumes it on another silo.
                logger.LogInformation("Account {Account}: silo stopping, {Left} posts left for the next poll", Handle, newPosts.Count - handedOver);
                break;
            }

            ImageOutcome[][] outcomes;
            try
            {
                outcomes = await Task.WhenAll(chunk.Select(SubmitPost));
            }
            catch (Exception e)
            {
                // A silo holding image or classifier grains went away, an image waited past the response timeout in a
                // busy classifier queue, or hit an unexpected error: the posts of this chunk stay unseen and are
                // submitted again shortly (image grains answer repeats from their first outcome).
                PollSoon(TimeSpan.FromSeconds(15 + Random.Shared.Next(15)));
                return await RecordFailure(
                    $"image processing interrupted ({e.GetType().Name}: {e.Message}); unfinished posts are retried on the next poll", AccountState.Failing);
            }

            foreach (var (post, images) in chunk.Zip(outcomes))
            {
                state.State.SeenPostIds.Add(post.PostId);
                state.State.MediaSkipped += post.Skipped.Count;
                submitted += images.Count(o => o.Status != ImageStatus.Failed);
                failed += images.Count(o => o.Status == ImageStatus.Failed);
            }

            handedOver += chunk.Length;
            state.State.ImagesSubmitted += outcomes.Sum(o => o.Count(i => i.Status != ImageStatus.Failed));
            state.State.ImagesFailed += outcomes.Sum(o => o.Count(i => i.Status == ImageStatus.Failed));
            await state.WriteStateAsync();
        }

        state.State.LastPoll = DateTimeOffset.UtcNow;
        state.State.State = AccountState.Active;
        state.State.LastError = null;
        await state.WriteStateAsync();
        if (newPosts.Count > 0)
        {
            logger.LogInformation("Account {Account}: {NewPosts} new posts, {Submitted} images catalogued or queued, {Failed} failed",
                Handle, handedOver, submitted, failed);
        }

        return new PollResult(handedOver, submitted, failed, null);
    }

    public async Task<AccountStatus> Pause()
    {
        if (state.State.Source is null)
        {
            return Status();
        }

        state.State.State = AccountState.Paused;
        await state.WriteStateAsync();
        await UnregisterPollReminder();
        return Status();
    }

    public async Task<AccountStatus> Resume()
    {
        if (state.State.Source is null)
        {
            return Status();
        }

        state.State.State = AccountState.Active;
        state.State.LastError = null;
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(PollReminder, TimeSpan.FromSeconds(1), options.Value.PollInterval);
        return Status();
    }

    public async Task Remove()
    {
        await UnregisterPollReminder();
        await AccountRegistry.For(GrainFactory, Handle).Unregister(Handle);
        await state.ClearStateAsync();
        logger.LogInformation("Account {Account} removed; its catalogued photos stay", Handle);
        DeactivateOnIdle();
    }

    public Task<AccountStatus> GetStatus() => Task.FromResult(Status());

    private async Task<ImageOutcome[]> SubmitPost(SourcePost post)
    {
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
        });
        return await Task.WhenAll(work.Select(w => GrainFactory.GetGrain<IImageGrain>(w.ImageId).Process(w)));
    }

    private async Task UnregisterPollReminder()
    {
        if (await this.GetReminder(PollReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task<PollResult> RecordFailure(string error, AccountState next)
    {
        logger.LogWarning("Account {Account} poll failed ({State}): {Error}", Handle, next, error);
        state.State.State = next;
        state.State.LastError = error;
        state.State.LastPoll = DateTimeOffset.UtcNow;
        await state.WriteStateAsync();
        return new PollResult(0, 0, 0, error);
    }

    /// <summary>
    /// Runs a poll as its own grain turn (after <paramref name="after"/>), unless one is already waiting to run: ticks
    /// during a long poll do not pile up.
    /// </summary>
    private void PollSoon(TimeSpan? after = null)
    {
        if (pollScheduled)
        {
            return;
        }

        pollScheduled = true;
        IGrainTimer? once = null;
        once = this.RegisterGrainTimer(async _ =>
        {
            once?.Dispose();
            pollScheduled = false;
            await Poll();
        }, new GrainTimerCreationOptions(after ?? TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    private AccountStatus Status() => new()
    {
        Handle = Handle,
        Source = state.State.Source,
        State = state.State.State,
        PostsSeen = state.State.SeenPostIds.Count,
        ImagesSubmitted = state.State.ImagesSubmitted,
        ImagesFailed = state.State.ImagesFailed,
        LastPoll = state.State.LastPoll,
        NextPoll = state.State.State is AccountState.Active or AccountState.Failing ? state.State.LastPoll + options.Value.PollInterval : null,
        LastError = state.State.LastError,
        MediaSkipped = state.State.MediaSkipped,
    };
}
