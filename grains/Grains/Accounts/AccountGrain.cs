using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Vitrina.Grains.Hosting;
using Vitrina.Grains.Placement;
using Vitrina.Grains.Sources;

namespace Vitrina.Grains.Accounts;

/// <summary>
/// Follows one shop account: on each poll it lists the source's posts and hands every image of every post it has not
/// seen to an image grain, counting a post once all its images have an outcome and marking it seen once every older
/// post has one too (<see cref="PollLedger"/>). A poll interrupted half-way (a silo stopping or dying, an image call
/// failing) resubmits only unfinished posts, and a repeated image updates its own catalogue row, so nothing is lost or
/// doubled. Polls are driven by a durable reminder, so an account keeps being polled wherever it reactivates. This
/// file holds the grain's turns, commands and saving; a poll's reading, its submission of posts and the sweep for
/// deleted posts have a file each (AccountGrain.*.cs).
/// </summary>
[SiloRole(SiloRoles.Ingest), Orleans.Concurrency.MayInterleave(nameof(MayInterleave))]
public sealed partial class AccountGrain(
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
        if (Polled)
        {
            // Resumed while this awaited (Pause interleaves, so Orleans let Resume in): the reminder just removed may
            // have been the one Resume registered, which left an active account that never polled again. (Not after a
            // Remove that came in meanwhile: that account is gone.)
            await this.RegisterOrUpdateReminder(PollReminder, TimeSpan.FromSeconds(1), options.Value.PollInterval);
        }

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
        try
        {
            await AccountRegistry.For(GrainFactory, Handle).Unregister(Handle);
            if (state.RecordExists) // a handle never onboarded has no row to clear (PostgreSQL would call that a conflict)
            {
                await OneWriteAtATime(state.ClearStateAsync);
            }
        }
        catch when (state.State is { Source: not null, State: not AccountState.Paused })
        {
            // Not removed: the account keeps being polled (a parked one, watched for a new token) rather than stay listed
            // and silent until removed again.
            await this.RegisterOrUpdateReminder(PollReminder, options.Value.PollInterval, options.Value.PollInterval);
            throw;
        }

        // Last, once the account is gone. Withdrawn first, a removal that then failed left the account polling with
        // every post seen and every photo withdrawn: an empty shelf for good, since no poll files a seen post again.
        // Not interleaved with a poll, whose image work has all ended by now: in time, or past its deadline, which files
        // nothing but a batch already being written (ImageWork.Deadline).
        var withdrawn = 0;
        if (withdrawPhotos)
        {
            try
            {
                withdrawn = await GrainFactory.GetGrain<ICatalogueGrain>(0).Withdraw(Handle, postIds: null);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Account {Account} removed, but withdrawing its photos failed", Handle);
                DeactivateOnIdle();
                throw new InvalidOperationException($"Account {Handle} was removed, but withdrawing its photos failed ({e.GetType().Name}: {e.Message}); " +
                    $"they stay on the shelves until `vitrina accounts remove {Handle} --withdraw-photos` runs again.", e);
            }
        }

        logger.LogInformation("Account {Account} removed; {Withdrawn} catalogue photos withdrawn", Handle, withdrawn);
        DeactivateOnIdle();
        return withdrawn;
    }

    public Task<AccountStatus> GetStatus() => Task.FromResult(Status());

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
        pollScheduled = true; // once the timer exists: set before a registration that threw, it silenced every later tick
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
