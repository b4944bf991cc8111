namespace Vitrina.Grains.Sources;

/// <summary>What the account should do after its source failed.</summary>
public enum SourceFailureDisposition
{
    /// <summary>Try again at the next poll (or after <see cref="PostSourceUnavailableException.RetryAfter"/>).</summary>
    Retry,

    /// <summary>Stop polling until a person fixes the cause (a rejected token, an account that cannot be read).</summary>
    Park,
}
