using System.Collections.Concurrent;

namespace Vitrina.FakeGraphApi;

/// <summary>What the fake served, for assertions and benchmarks.</summary>
public sealed class FakeGraphCounters
{
    public const string Me = "me";
    public const string BusinessDiscovery = "business_discovery";
    public const string MediaEdge = "media";
    public const string Node = "node";

    private readonly ConcurrentDictionary<string, int> calls = new();
    private int rateLimitErrors, tokenErrors, injectedFailures, imageDownloads, expiredImageLinks, cdnRefusals;

    /// <summary>API calls to one endpoint (<see cref="Me"/>, <see cref="BusinessDiscovery"/>, <see cref="MediaEdge"/>, <see cref="Node"/>), answered or not.</summary>
    public int Calls(string endpoint) => calls.GetValueOrDefault(endpoint);

    public int TotalApiCalls => calls.Values.Sum();

    public int RateLimitErrors => Volatile.Read(ref rateLimitErrors);

    public int TokenErrors => Volatile.Read(ref tokenErrors);

    public int InjectedFailures => Volatile.Read(ref injectedFailures);

    public int ImageDownloads => Volatile.Read(ref imageDownloads);

    public int ExpiredImageLinks => Volatile.Read(ref expiredImageLinks);

    /// <summary>Image requests refused while <see cref="FakeGraphOptions.CdnStatus"/> was set.</summary>
    public int CdnRefusals => Volatile.Read(ref cdnRefusals);

    public void Reset()
    {
        calls.Clear();
        rateLimitErrors = tokenErrors = injectedFailures = imageDownloads = expiredImageLinks = cdnRefusals = 0;
    }

    public override string ToString() =>
        $"calls {string.Join(", ", calls.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"))}; rate-limited {RateLimitErrors}, " +
        $"token errors {TokenErrors}, injected failures {InjectedFailures}, images {ImageDownloads}, expired links {ExpiredImageLinks}";

    internal void Call(string endpoint) => calls.AddOrUpdate(endpoint, 1, (_, n) => n + 1);

    internal void RateLimited() => Interlocked.Increment(ref rateLimitErrors);

    internal void TokenRejected() => Interlocked.Increment(ref tokenErrors);

    internal void Injected() => Interlocked.Increment(ref injectedFailures);

    internal void ImageServed() => Interlocked.Increment(ref imageDownloads);

    internal void ExpiredLink() => Interlocked.Increment(ref expiredImageLinks);

    internal void CdnRefused() => Interlocked.Increment(ref cdnRefusals);
}
