namespace Vitrina.Training;

/// <summary>
/// FNV-1a over a string's UTF-16 code units, for splits that must come out the same in every run (string.GetHashCode
/// is randomised per process). The grains route by a hash of their own (<c>Vitrina.StableHash</c>, in a project this
/// library does not reference); nothing needs the two to agree.
/// </summary>
internal static class TextHash
{
    public static uint Of(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }
}
