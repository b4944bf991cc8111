using System.Text.RegularExpressions;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>Keeps the access token out of logs and error messages, wherever a URL or a response body might carry it.</summary>
public static partial class GraphRedaction
{
    public const string Hidden = "***";

    public static string Redact(string text, string? token)
    {
        var redacted = TokenParameter().Replace(text, $"$1{Hidden}");
        return token is { Length: > 0 } ? redacted.Replace(token, Hidden, StringComparison.Ordinal) : redacted;
    }

    /// <summary>The start of a response body for an error message, on one line and without the token.</summary>
    public static string Snippet(string body, string? token, int length = 200)
    {
        var oneLine = Redact(Whitespace().Replace(body, " ").Trim(), token);
        return oneLine.Length > length ? oneLine[..length] + "…" : oneLine;
    }

    [GeneratedRegex("(access_token=)[^&\\s\"']*", RegexOptions.IgnoreCase)]
    private static partial Regex TokenParameter();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();
}
