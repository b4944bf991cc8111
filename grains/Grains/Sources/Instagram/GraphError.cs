using System.Text.Json;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>The Graph API's error body, <c>{"error":{"message","type","code","error_subcode","fbtrace_id",...}}</c>.</summary>
public sealed record GraphError(
    string Message, string? Type, int Code, int? Subcode, string? FbTraceId, bool IsTransient, TimeSpan? RegainAccessIn, string? UserMessage = null)
{
    public override string ToString() =>
        $"{Type ?? "error"} code {Code}{(Subcode is { } s ? $"/{s}" : "")}: {Message}{(UserMessage is { } u ? $" {u}" : "")}" +
        (FbTraceId is { } t ? $" (fbtrace_id {t})" : "");

    /// <summary>
    /// The API found the answer too big to build (code 1, "Please reduce the amount of data you're asking for"): the same
    /// call fails again, a smaller page may not.
    /// </summary>
    public bool AsksForLessData => Code == 1 && Message.Contains("reduce the amount of data", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads an error body; false for anything else (a success body, HTML, broken JSON).</summary>
    public static bool TryParse(string body, out GraphError error)
    {
        error = null!;
        if (body.Length == 0 || body.TrimStart() is not ['{', ..])
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("error", out var e) || e.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            error = new GraphError(
                Text(e, "message") ?? "(no message)", Text(e, "type"), Number(e, "code") ?? 0, Number(e, "error_subcode"),
                Text(e, "fbtrace_id"), e.TryGetProperty("is_transient", out var t) && t.ValueKind == JsonValueKind.True,
                RegainAccess(e), Text(e, "error_user_msg"));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // error_data is an object in some answers and a JSON string in others.
    private static TimeSpan? RegainAccess(JsonElement error)
    {
        if (!error.TryGetProperty("error_data", out var data))
        {
            return null;
        }

        if (data.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var inner = JsonDocument.Parse(data.GetString()!);
                return Minutes(inner.RootElement);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return Minutes(data);
    }

    private static TimeSpan? Minutes(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && Number(data, "estimated_time_to_regain_access") is { } m ? TimeSpan.FromMinutes(m) : null;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    internal static int? Number(JsonElement e, string name) =>
        !e.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n
        : v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), out var s) ? s
        : null;
}
