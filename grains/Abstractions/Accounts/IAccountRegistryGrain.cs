namespace Vitrina.Accounts;

/// <summary>
/// One shard of the list of onboarded accounts and their states (keys <c>accounts-0</c>..<c>accounts-63</c>, see
/// <see cref="AccountRegistry"/>). Sharded so that onboarding thousands of accounts rewrites small sets, not one big one.
/// </summary>
[Alias("Vitrina.IAccountRegistryGrain")]
public interface IAccountRegistryGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task Register(string handle);

    [Alias("Unregister")]
    Task Unregister(string handle);

    /// <summary>An account's state changed (the account grain reports it), so tallies need no call to every account.</summary>
    [Alias("Report")]
    Task Report(string handle, AccountState state);

    /// <summary>The shard's handles, or those last reported in <paramref name="state"/>.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> List(AccountState? state);

    [Alias("Tally")]
    Task<AccountTally> Tally();
}
