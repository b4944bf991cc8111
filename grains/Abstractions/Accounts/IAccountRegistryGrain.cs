namespace Vitrina.Accounts;

/// <summary>The list of onboarded accounts (a single grain, key <see cref="Key"/>).</summary>
[Alias("Vitrina.IAccountRegistryGrain")]
public interface IAccountRegistryGrain : IGrainWithStringKey
{
    public const string Key = "accounts";

    [Alias("Register")]
    Task Register(string handle);

    [Alias("List")]
    Task<IReadOnlyList<string>> List();
}
