namespace Vitrina.FakeGraphApi;

/// <summary>How the fake behaves; change any of it while it runs.</summary>
public sealed class FakeGraphOptions
{
    public string AccessToken { get; set; } = "fake-graph-token";

    /// <summary>API calls allowed per rolling <see cref="Window"/> (Meta's app budget is 200 per user per hour).</summary>
    public int CallBudget { get; set; } = 200;

    public TimeSpan Window { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The error code served past the budget: 4 (app limit, HTTP 403) or 80002 (Instagram business use case, HTTP 400).</summary>
    public int RateLimitCode { get; set; } = 4;

    /// <summary>How long signed image links stay valid (Instagram's CDN links last hours to days).</summary>
    public TimeSpan ImageUrlLifetime { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Seeds the random failures, so a run can be repeated.</summary>
    public int Seed { get; set; } = 1;

    public double ServerErrorRate { get; set; }

    public double HtmlPageRate { get; set; }

    public double MalformedJsonRate { get; set; }

    public double SlowRate { get; set; }

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The most media one answer may carry; asking for more is refused with code 1, "reduce the amount of data".</summary>
    public int MostMediaPerAnswer { get; set; } = MediaPaging.MaxLimit;

    /// <summary>
    /// While set, the image CDN answers every image with this HTTP status (503: an outage, 429: it rate-limits us); may be
    /// changed while the server runs.
    /// </summary>
    public int? CdnStatus { get; set; }

    /// <summary>Sent in whole seconds as <c>Retry-After</c> with <see cref="CdnStatus"/>'s refusals.</summary>
    public TimeSpan? CdnRetryAfter { get; set; }

    /// <summary>How long the image CDN takes before it answers: a slow CDN, or one that hangs.</summary>
    public TimeSpan ImageDelay { get; set; }
}
