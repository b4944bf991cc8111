using System.Text.RegularExpressions;

namespace Vitrina.Client.Commands;

/// <summary>Instagram's rules for a username: 1-30 letters, digits, periods and underscores.</summary>
public static partial class Handles
{
    public static bool IsValid(string handle) => Pattern().IsMatch(handle);

    [GeneratedRegex("^[A-Za-z0-9._]{1,30}$")]
    private static partial Regex Pattern();
}
