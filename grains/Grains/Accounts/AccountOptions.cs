namespace Vitrina.Grains.Accounts;

/// <summary>Polling settings (section <c>Vitrina:Accounts</c>).</summary>
public sealed class AccountOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Images of one account processed at once; the classifier batches across accounts.</summary>
    public int ImageConcurrency { get; set; } = 8;

    /// <summary>
    /// How often a poll reads the account's whole post list instead of the new posts alone, to withdraw the photos of
    /// posts the shop deleted (<see cref="PostSweep"/>); zero never does. An Instagram sweep costs a Graph API call per
    /// page of posts (<c>Vitrina:Instagram:PageSize</c>) out of the cluster's call budget.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromDays(1);
}
