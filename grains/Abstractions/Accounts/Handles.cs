using System.Text.RegularExpressions;

namespace Vitrina.Accounts;

/// <summary>Instagram's rules for a username: 1-30 letters, digits, periods and underscores, not periods alone.</summary>
public static partial class Handles
{
    /// <remarks>
    /// Periods alone are no Instagram name, and "." or ".." as the first segment of an image id ("../123") would make
    /// its photo's address (<c>api/moderation/photo/../123</c>) point elsewhere once a browser normalises it.
    /// </remarks>
    public static bool IsValid(string handle) => Pattern().IsMatch(handle) && handle.Trim('.').Length > 0;

    /// <summary>
    /// The account grain's key for a handle: Instagram usernames ignore case, so Shop_Anna and shop_anna are one shop and
    /// must be one account, or its photos would be catalogued twice.
    /// </summary>
    public static string Key(string handle) => handle.ToLowerInvariant();

    [GeneratedRegex("^[A-Za-z0-9._]{1,30}$")]
    private static partial Regex Pattern();
}
