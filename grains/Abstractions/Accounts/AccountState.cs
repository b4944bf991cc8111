namespace Vitrina.Accounts;

/// <summary>Lifecycle of an onboarded account.</summary>
[GenerateSerializer, Alias("Vitrina.AccountState")]
public enum AccountState
{
    NotOnboarded,
    Active,
    Failing,
    Paused,
}
