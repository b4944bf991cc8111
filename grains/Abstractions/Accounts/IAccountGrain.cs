namespace Vitrina.Accounts;

/// <summary>One shop account (key: its handle). Polls its source and hands each new post's images to image grains.</summary>
[Alias("Vitrina.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Starts following the account: records its source, polls it now and then periodically.</summary>
    [Alias("Onboard")]
    Task<AccountStatus> Onboard(AccountSource source);

    /// <summary>
    /// Reads the source now and submits every post not handed over before. A post whose images all have an outcome is
    /// never submitted again; one left unfinished by an interrupted poll is, and updates its own catalogue rows.
    /// </summary>
    [Alias("Poll")]
    Task<PollResult> Poll();

    /// <summary>
    /// Stops polling until <see cref="Resume"/>; what is catalogued stays. Answers at once, also while a long poll runs:
    /// that poll finishes the posts in flight and starts no more.
    /// </summary>
    [Alias("Pause"), Orleans.Concurrency.AlwaysInterleave]
    Task<AccountStatus> Pause();

    /// <summary>Polls again (also un-parks an account after its cause was fixed).</summary>
    [Alias("Resume")]
    Task<AccountStatus> Resume();

    /// <summary>
    /// Stops following the account and forgets it. Its photos stay in the catalogue unless
    /// <paramref name="withdrawPhotos"/> (a shop leaving the marketplace); onboarding it again brings them back.
    /// Returns the photos withdrawn. It waits for a running poll's posts in flight, each bounded by the call timeout, so
    /// it is given longer than that.
    /// </summary>
    [Alias("Remove"), ResponseTimeout("00:02:00")]
    Task<int> Remove(bool withdrawPhotos);

    /// <summary>Answers even while a poll is running.</summary>
    [Alias("GetStatus"), Orleans.Concurrency.AlwaysInterleave]
    Task<AccountStatus> GetStatus();
}
