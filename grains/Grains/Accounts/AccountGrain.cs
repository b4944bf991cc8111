using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Vitrina.Grains.Sources;

namespace Vitrina.Grains.Accounts;

/// <summary>
/// Follows one shop account: on each poll it lists the source's posts and hands every image of every post it has not
/// seen to its image grain, marking the post seen only after all its images have an outcome. A poll interrupted
/// half-way re-submits only unfinished posts, and image grains ignore repeats, so nothing is lost or doubled.
/// </summary>
public sealed class AccountGrain(
    [PersistentState("account", "vitrina")] IPersistentState<AccountGrainState> state,
    PostSources sources,
    IOptions<AccountOptions> options,
    ILogger<AccountGrain> logger) : Grain, IAccountGrain
{
    private IGrainTimer? timer;

    private string Handle => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.State is AccountState.Active or AccountState.Failing)
        {
            StartTimer(options.Value.PollInterval);
        }

        return Task.CompletedTask;
    }

    public async Task<AccountStatus> Onboard(AccountSource source)
    {
        state.State.Source = source;
        state.State.State = AccountState.Active;
        state.State.LastError = null;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IAccountRegistryGrain>(IAccountRegistryGrain.Key).Register(Handle);
        logger.LogInformation("Account {Account} onboarded from {SourceKind} {SourceLocation}", Handle, source.Kind, source.Location);
        StartTimer(TimeSpan.Zero);
        return Status();
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
            await foreach (var post in sources.For(source).ReadPosts(Handle, source, CancellationToken.None))
            {
                if (!state.State.SeenPostIds.Contains(post.PostId))
                {
                    newPosts.Add(post);
                }
            }
        }
        catch (PostSourceUnavailableException e)
        {
            return await RecordFailure(e.Message);
        }

        newPosts.Reverse(); // oldest first, so the catalogue fills in posting order
        int submitted = 0, failed = 0;
        foreach (var chunk in newPosts.Chunk(options.Value.ImageConcurrency))
        {
            var outcomes = await Task.WhenAll(chunk.Select(SubmitPost));
            foreach (var (post, images) in chunk.Zip(outcomes))
            {
                state.State.SeenPostIds.Add(post.PostId);
                submitted += images.Count(o => o.Status != ImageStatus.Failed);
                failed += images.Count(o => o.Status == ImageStatus.Failed);
            }

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
                Handle, newPosts.Count, submitted, failed);
        }

        return new PollResult(newPosts.Count, submitted, failed, null);
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
        });
        return await Task.WhenAll(work.Select(w => GrainFactory.GetGrain<IImageGrain>(w.ImageId).Process(w)));
    }

    private async Task<PollResult> RecordFailure(string error)
    {
        logger.LogWarning("Account {Account} poll failed: {Error}", Handle, error);
        state.State.State = AccountState.Failing;
        state.State.LastError = error;
        state.State.LastPoll = DateTimeOffset.UtcNow;
        await state.WriteStateAsync();
        return new PollResult(0, 0, 0, error);
    }

    private void StartTimer(TimeSpan dueTime)
    {
        timer?.Dispose();
        timer = this.RegisterGrainTimer(async _ => await Poll(), new GrainTimerCreationOptions
        {
            DueTime = dueTime,
            Period = options.Value.PollInterval,
            KeepAlive = true,
        });
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
        NextPoll = state.State.LastPoll + options.Value.PollInterval,
        LastError = state.State.LastError,
    };
}
