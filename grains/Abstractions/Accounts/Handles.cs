using System.Text.RegularExpressions;

namespace Vitrina.Accounts;

/// <summary>Instagram's rules for a username: 1-30 letters, digits, periods and underscores.</summary>
public static partial class Handles
{
    public static bool IsValid(string handle) => Pattern().IsMatch(handle);

    /// <summary>
    /// The account grain's key for a handle: Instagram usernames ignore case, so Shop_Anna and shop_anna are one shop and
    /// must be one account, or its photos would be catalogued twice.
    /// </summary>
    public static string Key(string handle) => handle.ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z0-9._]{1,30}$")]
    private static partial Regex Pattern();
}
