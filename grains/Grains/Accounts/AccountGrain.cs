using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Hosting;
using Vitrina.Grains.Placement;
using Vitrina.Grains.Sources;

namespace Vitrina.Grains.Accounts;

/// <summary>
/// Follows one shop account: on each poll it lists the source's posts and hands every image of every post it has not
/// seen to an image grain, counting a post once all its images have an outcome and marking it seen once every older
/// post has one too (<see cref="PollLedger"/>). A poll interrupted half-way (a silo stopping or dying, an image call
/// failing) resubmits only unfinished posts, and a repeated image updates its own catalogue row, so nothing is lost or
/// doubled. Polls are driven by a durable reminder, so an account keeps being polled wherever it reactivates.
/// </summary>
[SiloRole(SiloRoles.Ingest), Orleans.Concurrency.MayInterleave(nameof(MayInterleave))]
public sealed class AccountGrain(
    [PersistentState("account", GrainStateStorage.Name)] IPersistentState<AccountGrainState> state,
    PostSources sources,
    IOptions<AccountOptions> options,
    IOptions<SiloMessagingOptions> messaging,
    IHostApplicationLifetime lifetime,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain, IRemindable
{
    private const string PollReminder = "poll";

    // Pause interleaves with a running poll; two overlapping writes of one grain state would conflict on its ETag.
    private readonly SemaphoreSlim saving = new(1, 1);
    private readonly PostWindow window = new(options.Value.ImageConcurrency);
    private bool pollScheduled;
    private AccountState? reportedState;

    /// <summary>Polls that failed in a row and were tried again soon (<see cref="RetryBackoff"/>).</summary>
    private int failuresInARow;

    /// <summary>When this activation last wrote the state, in <see cref="Environment.TickCount64"/> ms (null: not yet).</summary>
    private long? savedAt;

    /// <summary>
    /// How stale the stored times of a poll that changed nothing else may grow. The state holds every post id the shop
    /// ever had: written after each quiet 5-minute poll, 5,000 shops of 2,000 posts rewrote about 60 GB a day. The
    /// status is read from memory, so only a restarted activation shows the older times.
    /// </summary>
    private static readonly TimeSpan QuietPollSaveInterval = TimeSpan.FromHours(1);

    /// <summary>The running poll's reading of the post list, which a pause stops: it may be waiting minutes for a page.</summary>
    private CancellationTokenSource? reading;

    /// <summary>A poll is running: the state is its to change and to write.</summary>
    private bool polling;

    /// <summary>Calls that do not interleave (all but reminder ticks, pauses and status reads) under way.</summary>
    private int exclusiveTurns;

    /// <summary>A pause came during the running poll, which writes it when it ends.</summary>
    private bool pausedDuringPoll;

    private string Handle => this.GetPrimaryKeyString();

    /// <summary>
    /// Reminder ticks interleave: queued behind a poll that runs for many minutes (a big shop's first read, paced by
    /// the call budget), each tick timed out and was logged as failed, and the one that got through started a second
    /// poll right after the first. <see cref="ReceiveReminder"/> leaves alone whatever else is under way.
    /// </summary>
    public static bool MayInterleave(Orleans.Serialization.Invocation.IInvokable request) => request.GetInterfaceType() == typeof(IRemindable);

    public Task<AccountStatus> Onboard(AccountSource source) => Exclusively(() => OnboardNow(source));

    private async Task<AccountStatus> OnboardNow(AccountSource source)
    {
        state.State.Source = source;
        state.State.State = AccountState.Active;
        state.State.LastError = null;
        state.State.LastSweep ??= SpreadSweep(); // the first poll reads the whole list anyway
        await Save();
        // Jitter spreads the periodic polls of accounts onboarded together over a whole interval, from half an interval
        // after the poll that onboarding runs now: a tick soon after it would find nothing new.
        var interval = options.Value.PollInterval;
        await this.RegisterOrUpdateReminder(PollReminder, interval * (0.5 + Random.Shared.NextDouble()), interval);
        // Listed last: an import onboards again any account it does not find listed, so a failure above is retried
        // there, while a listed account without its reminder would never be polled.
        await AccountRegistry.For(GrainFactory, Handle).Register(Handle);
        logger.LogInformation("Account {Account} onboarded from {SourceKind} {SourceLocation}", Handle, source.Kind, source.Location);
        PollSoon();
        return Status();
    }

    /// <summary>
    /// Schedules the poll instead of running it inside the tick: a poll may take minutes, and a reminder tick that has
    /// not returned within the response timeout is reported as failed. An account parked because its source refused a
    /// credential (an expired access token parks every Instagram account at once) is polled again once the source
    /// calls with another one: replacing the token is all an operator has to do. Synchronous: a tick interleaves
    /// (<see cref="MayInterleave"/>), and while an interleaving request awaits, Orleans lets any other request in.
    /// </summary>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // A poll under way is this tick's poll; an onboarding or a resumption schedules its own.
        if (exclusiveTurns == 0 && (Polled || CredentialReplaced))
        {
            PollSoon();
        }

        return Task.CompletedTask;
    }

    /// <summary>Parked for a refused credential that the source has since replaced.</summary>
    private bool CredentialReplaced =>
        state.State is { State: AccountState.Parked, ParkedForCredential: { } refused, Source: { } source }
        && sources.For(source).Credential is { } now && now != refused;

    /// <summary>Writes the account active again once its refused credential has been replaced (in a poll's turn).</summary>
    private async Task UnparkIfCredentialReplaced()
    {
        if (CredentialReplaced)
        {
            logger.LogInformation("Account {Account}: the credential that parked it ({Refused}) was replaced; polling again", Handle, state.State.ParkedForCredential);
            state.State.State = AccountState.Active;
            await Save();
        }
    }

    public Task<PollResult> Poll() => Exclusively(PollNow);

    private async Task<PollResult> PollNow()
    {
        polling = true;
        try
        {
            return await ReadAndSubmit();
        }
        finally
        {
            polling = false;
            if (pausedDuringPoll)
            {
                pausedDuringPoll = false;
                await SaveAfterPause();
            }
        }
    }

    /// <summary>A pause that came during a poll, written once the poll no longer changes the state.</summary>
    private async Task SaveAfterPause()
    {
        try
        {
            await Save();
        }
        catch (Exception e)
        {
            // Held in memory and written by the next save; Pause itself told the caller the account is paused.
            logger.LogWarning("Account {Account}: writing the pause that came during a poll failed: {Error}", Handle, e.Message);
        }
    }

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
            // a minute or more apart so as not to hammer a CDN that is struggling, and no sooner than it asked.
            PollSoon(RetryBackoff.AfterDeferral(deferred.RetryAfter, Random.Shared.NextDouble()));
            var held = $"{deferred.Count} post(s) held up by photos that could not be fetched ({reason}); tried again at the next polls " +
                $"for up to {options.Value.RetryImagesFor:g}, then filed as Failed";
            await RecordFailure(held, AccountState.Failing);
            return new PollResult(handedOver, submitted, failed, held);
        }

        var quiet = newPosts.Count == 0 && listed is null && state.State is { LastError: null, State: AccountState.Active or AccountState.Paused }
            && reportedState == state.State.State // a failed report to the registry is tried again by the next save
            && Environment.TickCount64 - savedAt < (long)QuietPollSaveInterval.TotalMilliseconds;
        state.State.LastPoll = state.State.LastSuccessfulPoll = DateTimeOffset.UtcNow;
        state.State.LastError = null;
        failuresInARow = 0;
        if (state.State.State != AccountState.Paused)
        {
            state.State.State = AccountState.Active;
        }

        if (!quiet)
        {
            await Save();
        }

        if (newPosts.Count > 0)
        {
            logger.LogInformation("Account {Account}: {NewPosts} new posts, {Finished} finished ({Submitted} images catalogued or queued, {Failed} failed), {Resubmitted} posts submitted again after a full classifier queue",
                Handle, newPosts.Count, handedOver, submitted, failed, resubmitted);
        }

        return new PollResult(handedOver, submitted, failed, null);
    }

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

    /// <summary>
    /// Runs at once, also during a long poll (onboarding a big shop): that poll starts no further post, finishes the
    /// ones in flight and leaves the account paused.
    /// </summary>
    public async Task<AccountStatus> Pause()
    {
        if (state.State.Source is null)
        {
            return Status();
        }

        state.State.State = AccountState.Paused;
        reading?.Cancel(); // a read waiting its turn for the call budget stops now; posts in flight still finish
        if (polling)
        {
            // The running poll writes it, in its own turn: written from here, the storage would serialize the state on
            // another thread while that poll's turn changes the sets of seen posts.
            pausedDuringPoll = true;
        }
        else
        {
            await Save();
        }

        await UnregisterPollReminder();
        return Status();
    }

    public Task<AccountStatus> Resume() => Exclusively(ResumeNow);

    private async Task<AccountStatus> ResumeNow()
    {
        if (state.State.Source is null)
        {
            return Status();
        }

        state.State.State = AccountState.Active;
        state.State.LastError = null;
        await Save();
        await this.RegisterOrUpdateReminder(PollReminder, TimeSpan.FromSeconds(1), options.Value.PollInterval);
        return Status();
    }

    public Task<int> Remove(bool withdrawPhotos) => Exclusively(() => RemoveNow(withdrawPhotos));

    private async Task<int> RemoveNow(bool withdrawPhotos)
    {
        await UnregisterPollReminder();
        int withdrawn;
        try
        {
            // Not interleaved with a poll, whose image work has all ended by now: in time, or past its deadline, which
            // files nothing but a batch already being written (ImageWork.Deadline). So no photo of this account is filed later.
            withdrawn = withdrawPhotos ? await GrainFactory.GetGrain<ICatalogueGrain>(0).Withdraw(Handle, postIds: null) : 0;
            await AccountRegistry.For(GrainFactory, Handle).Unregister(Handle);
            await OneWriteAtATime(state.ClearStateAsync);
        }
        catch when (state.State is { Source: not null, State: not AccountState.Paused })
        {
            // Not removed: the account keeps being polled (a parked one, watched for a new token) rather than stay listed
            // and silent until removed again.
            await this.RegisterOrUpdateReminder(PollReminder, options.Value.PollInterval, options.Value.PollInterval);
            throw;
        }

        logger.LogInformation("Account {Account} removed; {Withdrawn} catalogue photos withdrawn", Handle, withdrawn);
        DeactivateOnIdle();
        return withdrawn;
    }

    public Task<AccountStatus> GetStatus() => Task.FromResult(Status());

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

    private async Task UnregisterPollReminder()
    {
        if (await this.GetReminder(PollReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task<PollResult> RecordFailure(string error, AccountState next)
    {
        if (state.State.State == AccountState.Paused)
        {
            next = AccountState.Paused; // paused while the poll ran: the operator's word stands
        }

        // A warning when the account starts failing or fails otherwise (another state); the same failure again, poll
        // after poll (an outage, at 5,000 shops about a thousand a minute), at Debug: `accounts status` shows it.
        logger.Log(state.State.LastError is null || state.State.State != next ? LogLevel.Warning : LogLevel.Debug,
            "Account {Account} poll failed ({State}): {Error}", Handle, next, error);
        state.State.State = next;
        state.State.LastError = error;
        state.State.LastPoll = DateTimeOffset.UtcNow;
        await Save();
        return new PollResult(0, 0, 0, error);
    }

    /// <summary>A failure the next poll may not have: it comes sooner than a whole interval later, less soon each time.</summary>
    private Task<PollResult> FailAndRetrySoon(string error)
    {
        if (RetryBackoff.After(failuresInARow++, options.Value.PollInterval, Random.Shared.NextDouble()) is { } soon)
        {
            PollSoon(soon);
        }

        return RecordFailure(error, AccountState.Failing);
    }

    private bool Polled => state.State.State is AccountState.Active or AccountState.Failing;

    /// <summary>Writes the state, and tells the registry when the account's state changed (for the dashboard's tally).</summary>
    private Task Save() => OneWriteAtATime(async () =>
    {
        await state.WriteStateAsync();
        savedAt = Environment.TickCount64;
        // Reported under the same lock as the write: two saves' reports in flight at once could arrive in either order.
        var now = state.State.State;
        if (now == reportedState)
        {
            return;
        }

        try
        {
            await AccountRegistry.For(GrainFactory, Handle).Report(Handle, now);
            reportedState = now;
        }
        catch (Exception e)
        {
            // The account's own work goes on; the next save reports again.
            logger.LogWarning("Account {Account}: reporting state {State} to the registry failed: {Error}", Handle, now, e.Message);
        }
    });

    private async Task OneWriteAtATime(Func<Task> write)
    {
        await saving.WaitAsync();
        try
        {
            await write();
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            // Our copy no longer matches the stored one (a write whose answer was lost, another activation's write), and
            // every later write would fail alike while reminders keep this activation alive: start again from what is
            // stored, which the next reminder tick reactivates.
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            saving.Release();
        }
    }

    /// <summary>
    /// Runs a poll as its own grain turn (after <paramref name="after"/>), unless one is already waiting to run: ticks
    /// during a long poll do not pile up. A poll that comes due after the account was paused, removed or parked does
    /// not run.
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
            await Exclusively(async () =>
            {
                await UnparkIfCredentialReplaced();
                return Polled ? await PollNow() : null;
            });
        }, new GrainTimerCreationOptions(after ?? TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    private async Task<T> Exclusively<T>(Func<Task<T>> call)
    {
        exclusiveTurns++;
        try
        {
            return await call();
        }
        finally
        {
            exclusiveTurns--;
        }
    }

    private AccountStatus Status() => new()
    {
        Handle = Handle,
        Source = state.State.Source,
        State = state.State.State,
        PostsSeen = state.State.SeenPostIds.Count + state.State.FinishedAhead.Count,
        ImagesSubmitted = state.State.ImagesSubmitted,
        ImagesFailed = state.State.ImagesFailed,
        LastPoll = state.State.LastPoll,
        NextPoll = Polled ? state.State.LastPoll + options.Value.PollInterval : null,
        LastError = state.State.LastError,
        MediaSkipped = state.State.MediaSkipped,
        PostsWithdrawn = state.State.PostsWithdrawn,
        LastSweep = state.State.LastSweep,
        LastSuccessfulPoll = state.State.LastSuccessfulPoll,
    };
}
