namespace Vitrina.Training;

/// <summary>
/// FNV-1a over a string's UTF-16 code units, for splits that must come out the same in every run (string.GetHashCode
/// is randomised per process). The same function as the grains' <c>Vitrina.StableHash</c>, which this library does not
/// reference.
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
