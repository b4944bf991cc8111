using System.Text.Json.Nodes;

namespace Vitrina.FakeGraphApi;

/// <summary>The Graph API's error bodies, as the documentation shows them.</summary>
internal static class GraphErrors
{
    private static int trace;

    public static JsonObject Body(string message, int code, string type = "OAuthException", int? subcode = null, bool transient = false,
        string? userTitle = null, string? userMessage = null)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code };
        if (subcode is { } s)
        {
            error["error_subcode"] = s;
        }

        if (transient)
        {
            error["is_transient"] = true;
        }

        if (userTitle is not null)
        {
            error["error_user_title"] = userTitle;
        }

        if (userMessage is not null)
        {
            error["error_user_msg"] = userMessage;
        }

        error["fbtrace_id"] = $"AFake{Interlocked.Increment(ref trace):D6}";
        return new JsonObject { ["error"] = error };
    }

    public static JsonObject BadToken() => Body("Invalid OAuth access token - Cannot parse access token", 190);

    public static JsonObject PermissionDenied() => Body("(#10) Application does not have permission for this action", 10);

    public static JsonObject UserNotFound(string username) =>
        Body("Invalid user id", 110, subcode: 2207013, userTitle: "Cannot find User",
            userMessage: $"The user with username: {username} cannot be found.");

    /// <summary>A personal or private account: business discovery cannot tell them from one that does not exist.</summary>
    public static JsonObject NotBusiness(string username) => UserNotFound(username);

    public static JsonObject NoSuchObject(string id) =>
        Body($"Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
            100, "GraphMethodException", subcode: 33);

    public static JsonObject BadParameter(string message) => Body($"(#100) {message}", 100);

    public static JsonObject RateLimited(int code) => code == 4
        ? Body("(#4) Application request limit reached", 4, transient: true)
        : Body($"(#{code}) There have been too many calls to this Instagram account. Wait a bit and try again.", code, transient: true);

    public static JsonObject TooMuchData() =>
        Body("Please reduce the amount of data you're asking for, then retry your request", 1);

    public static JsonObject Unexpected() => Body("An unexpected error has occurred. Please retry your request later.", 2, transient: true);
}
