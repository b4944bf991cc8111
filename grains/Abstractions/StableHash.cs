namespace Vitrina;

/// <summary>
/// FNV-1a over a string's UTF-16 code units: the same on every silo, client and run (string.GetHashCode is randomised
/// per process), so work spread by hash lands on the same grain from anywhere.
/// </summary>
public static class StableHash
{
    public static uint Of(string key)
    {
        var hash = 2166136261u;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
