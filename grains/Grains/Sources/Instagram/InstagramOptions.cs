using System.Security.Cryptography;
using System.Text;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>The Instagram Graph API source's settings (<c>Vitrina:Instagram</c>). The token is a secret: never log it.</summary>
public sealed class InstagramOptions
{
    public const string Section = "Vitrina:Instagram";

    public string BaseUrl { get; set; } = "https://graph.facebook.com";

    public string ApiVersion { get; set; } = "v21.0";

    public string? AccessToken { get; set; }

    /// <summary>Our Instagram business account's id; read once from <c>/me</c> when not set.</summary>
    public string? OurUserId { get; set; }

    /// <summary>Posts per API call (the API allows at most 100).</summary>
    public int PageSize { get; set; } = 25;

    public VideoHandling Videos { get; set; } = VideoHandling.Skip;

    /// <summary>
    /// Above this share of the API's rate budget (either usage header), the cluster-wide call budget stretches the
    /// spacing of its permits, up to 4x at 100 %.
    /// </summary>
    public int SlowDownAtUsagePercent { get; set; } = 90;

    /// <summary>The app's name, keying its cluster-wide call budget (several apps, several budgets).</summary>
    public string AppName { get; set; } = "default";

    /// <summary>
    /// Calls the app may make per <see cref="BudgetWindow"/> across the whole cluster. The default is Meta's platform limit
    /// for an app with one user (200 calls per hour); Instagram calls also count against business use case limits over a
    /// rolling 24 hours, which the usage headers report and the budget slows down for. Set this to what your app is granted.
    /// </summary>
    public int CallBudget { get; set; } = 200;

    public TimeSpan BudgetWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A poll that would wait longer than this for a call permit is deferred to a later poll instead.</summary>
    public TimeSpan LongestPermitWait { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a read that has its first page may wait for each further one: longer than a new poll's wait, so that
    /// under a budget shared by many accounts a shop with a long history (2,000 posts are 80 pages) finishes its read
    /// instead of being refused part-way and starting again from its first page.
    /// </summary>
    public TimeSpan LongestNextPageWait { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Retries of one call after a 5xx, a network error or a timeout; rate limits are never retried here.</summary>
    public int TransientRetries { get; set; } = 2;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to back off after a rate-limit error that does not say when access returns.</summary>
    public TimeSpan DefaultRetryAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A short, non-secret name for the token, so a parked account can tell when the token was replaced.</summary>
    public string? TokenFingerprint => AccessToken is { Length: > 0 } token
        ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12]
        : null;

    /// <summary>Refuses settings the client could only fail on later, naming the setting and what it accepts.</summary>
    public void Validate()
    {
        string? problem =
            PageSize is < 1 or > 100 ? $"PageSize must be 1-100, not {PageSize}"
            : !Uri.TryCreate(BaseUrl, UriKind.Absolute, out _) ? $"BaseUrl must be an absolute URL, not '{BaseUrl}'"
            : TransientRetries is < 0 or > 10 ? $"TransientRetries must be 0-10, not {TransientRetries}"
            : AttemptTimeout < TimeSpan.FromMilliseconds(10) ? $"AttemptTimeout must be at least 10 ms, not {AttemptTimeout}"
            : CallBudget < 1 || BudgetWindow <= TimeSpan.Zero ? "CallBudget must be at least 1 and BudgetWindow positive"
            : SlowDownAtUsagePercent is < 1 or > 99 ? $"SlowDownAtUsagePercent must be 1-99, not {SlowDownAtUsagePercent}"
            : RetryDelay < TimeSpan.Zero || DefaultRetryAfter < TimeSpan.Zero || LongestPermitWait < TimeSpan.Zero || LongestNextPageWait < TimeSpan.Zero
                ? "RetryDelay, DefaultRetryAfter, LongestPermitWait and LongestNextPageWait must not be negative"
            : null;
        if (problem is not null)
        {
            throw new ArgumentException($"{Section}:{problem}.");
        }
    }

    public override string ToString() =>
        $"{BaseUrl}/{ApiVersion}, token {TokenFingerprint ?? "not set"}, user {OurUserId ?? "from /me"}, page {PageSize}, videos {Videos}";
}
