namespace Vitrina.Grains.Sources;

/// <summary>What the account should do after its source failed.</summary>
public enum SourceFailureDisposition
{
    /// <summary>Try again at the next poll (or after <see cref="PostSourceUnavailableException.RetryAfter"/>).</summary>
    Retry,

    /// <summary>Stop polling until a person fixes the cause (a rejected token, an account that cannot be read).</summary>
    Park,

    /// <summary>
    /// Nothing was tried: our own pacing of the source (the Graph API call budget) had no call free soon enough. Not a
    /// failure of the account's; it polls again after <see cref="PostSourceUnavailableException.RetryAfter"/>.
    /// </summary>
    Wait,
}
