namespace Vitrina.Accounts;

/// <summary>Lifecycle of an onboarded account.</summary>
[GenerateSerializer, Alias("Vitrina.AccountState")]
public enum AccountState
{
    NotOnboarded,
    Active,
    Failing,
    Paused,

    /// <summary>The source refused in a way polling again cannot fix (token rejected, account private or gone).</summary>
    Parked,
}
