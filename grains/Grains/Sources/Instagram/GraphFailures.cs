using System.Net.Sockets;
using Polly.Timeout;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>Turns a failed Graph API call into the exception that says what the caller should do about it.</summary>
internal static class GraphFailures
{
    private const int AccountNotFoundSubcode = 2207013;

    /// <summary>Limits, and blocks Meta says to wait out: 341 (application limit), 368 (temporarily blocked for a policy).</summary>
    public static bool IsRateLimit(int code) => code is 4 or 17 or 32 or 341 or 368 or 613 || code is >= 80001 and <= 80014;

    public static GraphApiException FromError(GraphCall call, int status, GraphError error, GraphUsage? usage, InstagramOptions options)
    {
        var token = options.AccessToken;
        if (IsRateLimit(error.Code))
        {
            var after = error.RegainAccessIn ?? usage?.RegainAccessIn ?? options.DefaultRetryAfter;
            after = after > TimeSpan.Zero ? after : options.DefaultRetryAfter;
            return new GraphRateLimitedException(
                Say(call, status, $"rate limited by the Graph API, retry after {after:g} ({error})", token), status, error, after);
        }

        if (error.Code is 190 or 102)
        {
            return new GraphTokenRejectedException(
                Say(call, status, $"the access token was rejected ({error}); set a valid {InstagramOptions.Section}:AccessToken", token),
                status, error, options.TokenFingerprint);
        }

        if (error.Code is 10 or (>= 200 and <= 299))
        {
            // The token's permissions, not one shop: every account fails alike until a token with them is set, and then
            // each comes back by itself, as after a rejected token.
            return new GraphTokenRejectedException(
                Say(call, status, $"the access token lacks a permission this call needs ({error}); grant the app instagram_basic, " +
                    $"instagram_manage_insights, pages_read_engagement and pages_show_list (README, \"Instagram shops\") and set the new token as " +
                    $"{InstagramOptions.Section}:AccessToken", token),
                status, error, options.TokenFingerprint);
        }

        if (IsAccountMissing(error))
        {
            var reason = GraphRedaction.Redact(error.UserMessage ?? error.Message, token);
            return new GraphAccountUnavailableException(
                Say(call, status, $"the account cannot be read: it does not exist, is private or is not a business/creator account ({error})", token),
                call.Subject, reason, status, error);
        }

        if (error.IsTransient || error.Code is 1 or 2 || status >= 500)
        {
            return new GraphTransientException(Say(call, status, $"temporary Graph API error ({error})", token), status, error);
        }

        return new GraphRequestRejectedException(Say(call, status, $"the Graph API refused the call ({error})", token), status, error);
    }

    /// <summary>An answer that is not the Graph API's JSON: an HTML error page from a proxy, a cut-off body.</summary>
    public static GraphTransientException NotJson(GraphCall call, int status, string body, string? token, Exception? inner = null)
    {
        var what = body.TrimStart().StartsWith('<') ? "an HTML page" : body.Length == 0 ? "an empty body" : "malformed JSON";
        return new GraphTransientException(
            Say(call, status, $"expected Graph API JSON but got {what}: \"{GraphRedaction.Snippet(body, token)}\"", token), status, null, inner);
    }

    /// <summary>No answer at all, after the HTTP handler's retries.</summary>
    public static GraphTransientException Unanswered(GraphCall call, Exception e, InstagramOptions options)
    {
        var what = e switch
        {
            TimeoutRejectedException or TaskCanceledException =>
                $"no answer within {options.AttemptTimeout:g} ({options.TransientRetries + 1} attempt(s))",
            HttpRequestException { InnerException: SocketException s } => $"cannot connect ({s.SocketErrorCode})",
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        return new GraphTransientException(
            GraphRedaction.Redact($"{call.Subject}: the Graph API did not answer, {what}; {call}", options.AccessToken), null, null, e);
    }

    /// <summary>
    /// By codes alone: business discovery answers 110/2207013 alike for an unknown, a personal and a private account, and
    /// a message naming "business" also came back for a call made with a Facebook user's id instead of ours.
    /// </summary>
    private static bool IsAccountMissing(GraphError error) =>
        error.Subcode == AccountNotFoundSubcode || error.Code == 110 || error is { Code: 100, Subcode: 33 };

    private static string Say(GraphCall call, int status, string what, string? token) =>
        GraphRedaction.Redact($"{call.Subject}: {what}; {call} answered HTTP {status}", token);
}
