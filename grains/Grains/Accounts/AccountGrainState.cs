namespace Vitrina.Grains.Accounts;

/// <summary>What an account grain remembers: its source, the posts it has handed over, and its counters.</summary>
[GenerateSerializer, Alias("Vitrina.AccountGrainState")]
public sealed class AccountGrainState
{
    [Id(0)] public AccountSource? Source { get; set; }
    [Id(1)] public HashSet<string> SeenPostIds { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public AccountState State { get; set; }
    [Id(3)] public int ImagesSubmitted { get; set; }
    [Id(4)] public int ImagesFailed { get; set; }
    [Id(5)] public DateTimeOffset? LastPoll { get; set; }
    [Id(6)] public string? LastError { get; set; }
    [Id(7)] public int MediaSkipped { get; set; }

    /// <summary>Posts counted already but not yet marked seen: they finished ahead of an older post (<see cref="PollLedger"/>).</summary>
    [Id(8)] public HashSet<string> FinishedAhead { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The credential whose refusal parked the account (<see cref="Sources.PostSourceUnavailableException.RefusedCredential"/>),
    /// set by every failed poll; it means something only while the account is parked.
    /// </summary>
    [Id(9)] public string? ParkedForCredential { get; set; }

    /// <summary>When the account's whole post list was last read (<see cref="PostSweep"/>).</summary>
    [Id(10)] public DateTimeOffset? LastSweep { get; set; }

    [Id(11)] public int PostsWithdrawn { get; set; }

    /// <summary>Posts a sweep found gone in such numbers that the next sweep must agree before they are withdrawn.</summary>
    [Id(12)] public HashSet<string> UnconfirmedGone { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Posts left unfinished because a photo could not be fetched for a reason that may pass, with when that first
    /// happened: they are tried at later polls for <see cref="AccountOptions.RetryImagesFor"/>, then filed as Failed.
    /// </summary>
    [Id(13)] public Dictionary<string, DateTimeOffset> DeferredSince { get; set; } = new(StringComparer.Ordinal);

    /// <summary>When a poll last went through (<see cref="LastPoll"/> is the last attempt, failed or not).</summary>
    [Id(14)] public DateTimeOffset? LastSuccessfulPoll { get; set; }
}
