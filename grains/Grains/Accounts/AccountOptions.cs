namespace Vitrina.Grains.Accounts;

/// <summary>Polling settings (section <c>Vitrina:Accounts</c>).</summary>
public sealed class AccountOptions
{
    public const string Section = "Vitrina:Accounts";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Posts of one account in flight at once (a carousel post's images all count as one), at most: a full classifier
    /// queue narrows the window (<see cref="PostWindow"/>); the classifier batches across accounts.
    /// </summary>
    public int ImageConcurrency { get; set; } = 8;

    /// <summary>
    /// How often a poll reads the account's whole post list instead of the new posts alone, to withdraw the photos of
    /// posts the shop deleted (<see cref="PostSweep"/>); zero never does. An Instagram sweep costs a Graph API call per
    /// page of posts (<c>Vitrina:Instagram:PageSize</c>) out of the cluster's call budget.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How long a post whose photo cannot be fetched for a reason that may pass (the CDN answering 5xx or 429, a network
    /// failure) is tried again at later polls before that photo is filed as Failed with the reason; zero files it at once.
    /// </summary>
    public TimeSpan RetryImagesFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Refuses settings that would stop polling or fail every poll, naming the setting.</summary>
    public void Validate()
    {
        if (PollInterval <= TimeSpan.Zero || ImageConcurrency < 1 || SweepInterval < TimeSpan.Zero || RetryImagesFor < TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"Vitrina:Accounts:PollInterval must be positive (is {PollInterval}), ImageConcurrency at least 1 (is {ImageConcurrency}), " +
                $"SweepInterval and RetryImagesFor not negative (are {SweepInterval}, {RetryImagesFor}); times are written hh:mm:ss or d.hh:mm:ss");
        }
    }
}
