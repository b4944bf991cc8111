namespace Vitrina.Grains.Accounts;

/// <summary>Polling settings (section <c>Vitrina:Accounts</c>).</summary>
public sealed class AccountOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Images of one account processed at once; the classifier batches across accounts.</summary>
    public int ImageConcurrency { get; set; } = 8;
}
