namespace Vitrina.Accounts;

/// <summary>
/// One shard of the list of onboarded accounts (keys <c>accounts-0</c>..<c>accounts-63</c>, see
/// <see cref="AccountRegistry"/>). Sharded so that onboarding thousands of accounts rewrites small sets, not one big one.
/// </summary>
[Alias("Vitrina.IAccountRegistryGrain")]
public interface IAccountRegistryGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task Register(string handle);

    [Alias("Unregister")]
    Task Unregister(string handle);

    [Alias("List")]
    Task<IReadOnlyList<string>> List();
}
