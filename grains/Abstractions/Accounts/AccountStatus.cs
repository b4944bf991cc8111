namespace Vitrina.Accounts;

/// <summary>What an operator sees of one account: its source, counters, last and next poll, and the last error.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.AccountStatus")]
public sealed record AccountStatus
{
    [Id(0)] public required string Handle { get; init; }
    [Id(1)] public AccountSource? Source { get; init; }
    [Id(2)] public AccountState State { get; init; }
    [Id(3)] public int PostsSeen { get; init; }
    [Id(4)] public int ImagesSubmitted { get; init; }
    [Id(5)] public int ImagesFailed { get; init; }
    [Id(6)] public DateTimeOffset? LastPoll { get; init; }
    [Id(7)] public DateTimeOffset? NextPoll { get; init; }
    [Id(8)] public string? LastError { get; init; }
    /// <summary>Media of seen posts that had no image to catalogue (videos, items without a link).</summary>
    [Id(9)] public int MediaSkipped { get; init; }

    /// <summary>Seen posts later found gone from the account, whose photos left the shelves.</summary>
    [Id(10)] public int PostsWithdrawn { get; init; }

    /// <summary>When the whole post list was last read to find deleted posts.</summary>
    [Id(11)] public DateTimeOffset? LastSweep { get; init; }

    /// <summary>
    /// When a poll last went through. <see cref="LastPoll"/> is the last attempt, failed or not: a shop failing for a
    /// day still shows a recent one, and this says how stale its shelf is.
    /// </summary>
    [Id(12)] public DateTimeOffset? LastSuccessfulPoll { get; init; }
}
