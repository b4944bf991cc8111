using System.Diagnostics.Metrics;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// Graph API calls by outcome, their durations, and the share of Meta's rate limits used: what an operator watches to
/// see onboarding slow down before Meta blocks the app. Tags take a handful of values; never an account.
/// </summary>
public static class GraphMetrics
{
    public static readonly Meter Meter = new("Vitrina.Instagram");

    /// <summary>Every attempt, each of which Meta counts: <c>ok</c>, <c>retried</c> (a 5xx or timeout tried again), or the failure.</summary>
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("vitrina.instagram.calls", "{call}");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram("vitrina.instagram.call_duration", "ms", null, null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000] });
    private static readonly Gauge<int> Usage = Meter.CreateGauge<int>("vitrina.instagram.usage", "%");
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("vitrina.instagram.budget_refused", "{call}");
    private static readonly Counter<long> Blocks = Meter.CreateCounter<long>("vitrina.instagram.blocks", "{block}");

    public static void RecordCall(string outcome, TimeSpan took)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        Calls.Add(1, tag);
        Duration.Record(took.TotalMilliseconds, tag);
    }

    public static void RecordUsage(GraphUsage usage)
    {
        Usage.Record(usage.AppPercent, new KeyValuePair<string, object?>("limit", "app"));
        Usage.Record(usage.BusinessUseCasePercent, new KeyValuePair<string, object?>("limit", "business_use_case"));
    }

    /// <summary>A call the cluster's budget could not grant within its caller's wait: not made, tried at a later poll.</summary>
    public static void RecordRefused() => Refused.Add(1);

    /// <summary>A rate-limit error that stopped (or extended the stop of) every call of the cluster.</summary>
    public static void RecordBlock() => Blocks.Add(1);

    /// <summary>The outcome tag of a call that failed with <paramref name="failure"/>.</summary>
    public static string Outcome(GraphApiException failure) => failure switch
    {
        GraphRateLimitedException => "rate_limited",
        GraphTokenRejectedException => "token_rejected",
        GraphAccountUnavailableException => "account_unavailable",
        GraphTransientException => "transient",
        _ => "rejected",
    };
}
