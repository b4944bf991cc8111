using System.Net.Http.Headers;
using System.Text.Json;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// How much of the Graph API's rate budget is used, from the <c>X-App-Usage</c> and <c>X-Business-Use-Case-Usage</c>
/// headers (percentages of calls, CPU time and total time; the highest counts).
/// </summary>
public sealed record GraphUsage(int AppPercent, int BusinessUseCasePercent, TimeSpan? RegainAccessIn)
{
    public const string AppUsageHeader = "X-App-Usage";
    public const string BusinessUseCaseUsageHeader = "X-Business-Use-Case-Usage";

    public static readonly GraphUsage None = new(0, 0, null);

    public int MaxPercent => Math.Max(AppPercent, BusinessUseCasePercent);

    /// <summary>The usage a response reports, or null when it carries neither header readably.</summary>
    public static GraphUsage? FromHeaders(HttpResponseHeaders headers)
    {
        var app = headers.TryGetValues(AppUsageHeader, out var a) ? a.FirstOrDefault() : null;
        var business = headers.TryGetValues(BusinessUseCaseUsageHeader, out var b) ? b.FirstOrDefault() : null;
        return Parse(app, business);
    }

    /// <returns>
    /// Null when neither header reads as usage: headers missing or garbled say nothing, and a 0 % read from them would
    /// wipe a slow-down the last readable one asked for.
    /// </returns>
    public static GraphUsage? Parse(string? appUsage, string? businessUseCaseUsage)
    {
        var (app, business) = (Read(appUsage), Read(businessUseCaseUsage));
        if (app is not { ValueKind: JsonValueKind.Object } && business is not { ValueKind: JsonValueKind.Object })
        {
            return null;
        }

        var appPercent = 0;
        var businessPercent = 0;
        TimeSpan? regain = null;
        if (app is { ValueKind: JsonValueKind.Object } appUse)
        {
            appPercent = MaxPercentOf(appUse);
        }

        if (business is { ValueKind: JsonValueKind.Object } businessUse)
        {
            foreach (var entry in businessUse.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array)
                         .SelectMany(p => p.Value.EnumerateArray()).Where(e => e.ValueKind == JsonValueKind.Object))
            {
                businessPercent = Math.Max(businessPercent, MaxPercentOf(entry));
                if (GraphError.Number(entry, "estimated_time_to_regain_access") is > 0 and var minutes)
                {
                    regain = TimeSpan.FromMinutes(Math.Max(minutes, regain?.TotalMinutes ?? 0));
                }
            }
        }

        return new GraphUsage(appPercent, businessPercent, regain);
    }

    private static int MaxPercentOf(JsonElement usage) =>
        new[] { "call_count", "total_cputime", "total_time" }.Max(name => GraphError.Number(usage, name) ?? 0);

    private static JsonElement? Read(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(header).RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
