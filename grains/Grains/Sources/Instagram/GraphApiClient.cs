using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Vitrina.Accounts;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// Reads Instagram media through the Graph API: other shops by business discovery, our own account through its
/// <c>/media</c> edge. One instance per process (it remembers our user id and the latest rate usage); each call takes a
/// pooled client from <see cref="IHttpClientFactory"/>, whose handler times out each attempt; transient failures are
/// retried here, each attempt paying its call to the budget, rate limits are not.
/// </summary>
public sealed partial class GraphApiClient(
    IHttpClientFactory httpClients, IOptionsMonitor<InstagramOptions> options, IGraphCallGate gate, ILogger<GraphApiClient> logger) : IMediaUrlRefresher
{
    public const string HttpClientName = "instagram-graph";

    /// <summary>A <see cref="AccountSource.Location"/> that means the account our token belongs to.</summary>
    public const string OwnAccount = "me";

    private const string MediaFields =
        "id,media_type,media_url,thumbnail_url,permalink,caption,timestamp,children{id,media_type,media_url,thumbnail_url}";

    // Keyed by token fingerprint: a replaced token may belong to another account.
    private readonly ConcurrentDictionary<string, string> ourUserIds = new();
    private GraphUsage usage = GraphUsage.None;
    private readonly MediaLinkCache links = new(TimeProvider.System);

    /// <summary>The rate usage the latest answer reported.</summary>
    public GraphUsage Usage => Volatile.Read(ref usage);

    /// <summary>Our Instagram user id: configured, or read once from <c>/me</c>.</summary>
    public Task<string> OurUserId(CancellationToken cancellation) => OurUserId("our Instagram user", cancellation);

    private async Task<string> OurUserId(string subject, CancellationToken cancellation)
    {
        var settings = Settings(subject);
        if (settings.OurUserId is { Length: > 0 } configured)
        {
            return configured;
        }

        if (ourUserIds.TryGetValue(settings.TokenFingerprint!, out var known))
        {
            return known;
        }

        // A Facebook Login token belongs to a Facebook user, whose /me is not the Instagram account: that is the one
        // linked to one of the user's Pages.
        subject = $"{subject} (asking /me/accounts for the Instagram business account linked to our Page)";
        const string fields = "name,instagram_business_account{id,username}";
        var pages = await Get<GraphWire.Page<GraphWire.FacebookPage>>(settings, subject, "me/accounts", fields, [], cancellation);
        var linked = (pages.Data ?? []).Where(p => p.InstagramBusinessAccount?.Id is { Length: > 0 }).ToList();
        return linked switch
        {
            [var only] => ourUserIds[settings.TokenFingerprint!] = only.InstagramBusinessAccount!.Id!,
            [] => throw new GraphTokenRejectedException(
                $"{subject}: none of the token's Facebook Pages ({pages.Data?.Count ?? 0}) is linked to an Instagram business or creator " +
                $"account; link one (README, \"Instagram shops\") or set {InstagramOptions.Section}:OurUserId", null, null, settings.TokenFingerprint),
            _ => throw new GraphTokenRejectedException(
                $"{subject}: the token's Pages link several Instagram accounts " +
                $"({string.Join(", ", linked.Select(p => $"@{p.InstagramBusinessAccount!.Username} {p.InstagramBusinessAccount.Id} on {p.Name}"))}); " +
                $"set {InstagramOptions.Section}:OurUserId to the one to read with", null, null, settings.TokenFingerprint),
        };
    }

    /// <summary>
    /// An account's media, newest first, one API page at a time; pages are fetched only as the caller asks for them.
    /// <paramref name="location"/> is a username (business discovery), <see cref="OwnAccount"/>, or our own numeric id.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<GraphMedia>> ReadMediaPages(string location, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var page in ReadMediaPagesFrom(location, after: null, continuing: true, cancellation))
        {
            yield return page.Items;
        }
    }

    /// <summary>The pages after the cursor <paramref name="after"/> (null: from the top), each with the cursor that reads on.</summary>
    /// <param name="continuing">
    /// Whether its later pages continue a read under way (a poll), which may wait longer for permits than a new call. A
    /// link refresh has a caller waiting for it: its pages wait no longer than any call.
    /// </param>
    private async IAsyncEnumerable<GraphMediaPage> ReadMediaPagesFrom(
        string location, string? after, bool continuing, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var subject = location == OwnAccount ? "our Instagram account" : $"Instagram account @{location}";
        var settings = Settings(subject);
        var own = location == OwnAccount || Digits().IsMatch(location);
        if (!own && !Handles.IsValid(location))
        {
            throw new GraphAccountUnavailableException(
                $"{subject}: not a valid Instagram username (1-30 letters, digits, '.' or '_')", location, "not a valid Instagram username", null, null);
        }

        var userId = own && location != OwnAccount ? location : await OurUserId(subject, cancellation);
        var cursors = new HashSet<string>(StringComparer.Ordinal);
        var pageSize = settings.PageSize;
        while (true)
        {
            GraphWire.Page<GraphWire.Media>? page;
            try
            {
                page = await ReadMediaPage(settings, subject, location, userId, own, pageSize, after, continuing && after is not null, cancellation);
            }
            catch (GraphRequestRejectedException e) when (after is not null && e.Error is { Code: 100, Subcode: null })
            {
                // Meta invalidates a cursor whose post was deleted: that is no fault of the account, and a new read from
                // the top will do.
                throw new GraphTransientException($"{subject}: the paging cursor of the page read last is no longer valid " +
                    $"(a post deleted meanwhile?); the read starts again from the top ({e.Error})", e.HttpStatus, e.Error, e);
            }
            catch (GraphTransientException e) when (e.Error is { AsksForLessData: true } && pageSize > 1)
            {
                // Posts with many carousel children make a page too big to build; the rest of the read keeps the smaller size.
                pageSize = Math.Max(1, pageSize / 2);
                LogSmallerPage(logger, subject, pageSize);
                continue;
            }

            var items = page?.Data?.Select(GraphMedia.From).OfType<GraphMedia>().ToList() ?? [];

            // Business discovery pages carry only cursors, and the page after the last one is empty. The /media edge says
            // "next" while more remain, and Meta warns that a page may be empty and still have a next one.
            var next = page?.Paging?.Cursors?.After;
            var more = next is not null && (own ? page?.Paging?.Next is not null : page?.Data is { Count: > 0 });
            if (more && !cursors.Add(next!))
            {
                // Reading on would loop for ever, and ending here would pass a part of the list off as all of it (a sweep
                // would withdraw the rest): the read fails, and is tried again.
                throw new GraphTransientException(
                    $"{subject}: the Graph API handed out the paging cursor of an earlier page again; the read stops rather than loop", null, null);
            }

            yield return new GraphMediaPage(items, more ? next : null);
            if (!more)
            {
                yield break;
            }

            after = next;
        }
    }

    private async Task<GraphWire.Page<GraphWire.Media>?> ReadMediaPage(
        InstagramOptions settings, string subject, string location, string userId, bool own, int pageSize, string? after, bool continuesRead,
        CancellationToken cancellation) =>
        own
            ? await Get<GraphWire.Page<GraphWire.Media>>(settings, subject, $"{userId}/media", MediaFields,
                [("limit", $"{pageSize}"), .. after is null ? [] : new[] { ("after", after) }], cancellation, continuesRead)
            : (await Get<GraphWire.BusinessDiscoveryAnswer>(settings, subject, userId, DiscoveryFields(location, pageSize, after), [], cancellation,
                continuesRead))
              .BusinessDiscovery?.Media;

    /// <summary>
    /// A fresh link for one media item of <paramref name="owner"/>'s (its cover frame for a video), or null when the media
    /// is gone. Our own media are read by id. Another shop's cannot be read by id with our token (the API answers 100/33,
    /// as for media that are gone), so they are looked for in the owner's list through business discovery, page by page,
    /// and the links of the pages read are kept a while for the next refreshes (<see cref="MediaLinkCache"/>).
    /// </summary>
    public async Task<Uri?> RefreshMediaUrl(string mediaId, string owner, CancellationToken cancellation)
    {
        var subject = $"Instagram media {mediaId} of @{owner}";
        var settings = Settings(subject);
        if (!MediaId().IsMatch(mediaId))
        {
            return null;
        }

        if (owner == OwnAccount || Digits().IsMatch(owner))
        {
            try
            {
                var media = GraphMedia.From(await Get<GraphWire.Media>(settings, subject, mediaId, "id,media_type,media_url,thumbnail_url", [], cancellation));
                return media?.MediaType == GraphMedia.Video ? media.ThumbnailUrl : media?.MediaUrl;
            }
            catch (GraphApiException e) when (e.Error is { Code: 100, Subcode: 33 })
            {
                return null;
            }
        }

        if (!Handles.IsValid(owner))
        {
            return null;
        }

        return await links.Find(owner, mediaId, (after, token) => ReadMediaPagesFrom(owner, after, continuing: false, token), cancellation);
    }

    private static string DiscoveryFields(string username, int limit, string? after) =>
        $"business_discovery.username({username}){{media.limit({limit}){(after is null ? "" : $".after({after})")}{{{MediaFields}}}}}";

    private InstagramOptions Settings(string subject)
    {
        var settings = options.CurrentValue;
        if (settings.AccessToken is not { Length: > 0 })
        {
            throw new GraphTokenRejectedException(
                $"{subject}: no Graph API access token is configured (set {InstagramOptions.Section}:AccessToken)", null, null, null);
        }

        return settings;
    }

    private async Task<T> Get<T>(
        InstagramOptions settings, string subject, string path, string fields, (string Name, string Value)[] parameters, CancellationToken cancellation,
        bool continuesRead = false)
        where T : class
    {
        var call = Call(settings, subject, path, fields, parameters);
        var (response, started) = await Send(settings, call, continuesRead, cancellation);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellation);
            var status = (int)response.StatusCode;
            var reported = GraphUsage.FromHeaders(response.Headers);
            if (reported is not null)
            {
                Volatile.Write(ref usage, reported);
                GraphMetrics.RecordUsage(reported);
                await gate.ReportUsage(reported);
            }

            var took = Stopwatch.GetElapsedTime(started);
            LogCall(logger, call.ShownUrl, status, took.TotalMilliseconds, Usage.MaxPercent);
            if (GraphError.TryParse(body, out var error))
            {
                var failure = GraphFailures.FromError(call, status, error, reported, settings);
                GraphMetrics.RecordCall(GraphMetrics.Outcome(failure), took);
                if (failure is GraphRateLimitedException limited)
                {
                    await gate.ReportRateLimited(limited.RetryAfter);
                }

                throw failure;
            }

            if (!response.IsSuccessStatusCode)
            {
                GraphMetrics.RecordCall("transient", took);
                throw GraphFailures.NotJson(call, status, body, settings.AccessToken);
            }

            try
            {
                var answer = JsonSerializer.Deserialize<T>(body, GraphWire.Json) ?? throw new JsonException("null answer");
                GraphMetrics.RecordCall("ok", took);
                return answer;
            }
            catch (JsonException e)
            {
                GraphMetrics.RecordCall("transient", took);
                throw GraphFailures.NotJson(call, status, body, settings.AccessToken, e);
            }
        }
    }

    /// <summary>
    /// Sends one call, retrying a 5xx, a network error or a timeout up to <see cref="InstagramOptions.TransientRetries"/>
    /// times. Every attempt takes its own permit from the call budget: Meta counts each one against the app's rate
    /// limit, so retries that shared the first attempt's permit spent calls the budget never saw.
    /// </summary>
    private async Task<(HttpResponseMessage Response, long Started)> Send(
        InstagramOptions settings, GraphCall call, bool continuesRead, CancellationToken cancellation)
    {
        for (var attempt = 0; ; attempt++)
        {
            var last = attempt >= settings.TransientRetries;
            await gate.Enter(call.Subject, continuesRead, cancellation);
            var started = Stopwatch.GetTimestamp();
            try
            {
                var response = await httpClients.CreateClient(HttpClientName).GetAsync(call.Url, cancellation);
                if (last || !IsTransient(response.StatusCode)
                    || GraphError.TryParse(await response.Content.ReadAsStringAsync(cancellation), out var error) && error.AsksForLessData)
                {
                    return (response, started);
                }

                GraphMetrics.RecordCall("retried", Stopwatch.GetElapsedTime(started));
                LogRetry(logger, call.ShownUrl, $"HTTP {(int)response.StatusCode}", attempt + 1);
                response.Dispose();
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested && e is HttpRequestException or OperationCanceledException or Polly.Timeout.TimeoutRejectedException)
            {
                GraphMetrics.RecordCall(last ? "unanswered" : "retried", Stopwatch.GetElapsedTime(started));
                if (last)
                {
                    throw GraphFailures.Unanswered(call, e, settings);
                }

                LogRetry(logger, call.ShownUrl, e.GetType().Name, attempt + 1);
            }

            // Exponential back-off with jitter, so the silos' retries after one outage do not arrive together.
            await Task.Delay(settings.RetryDelay * Math.Pow(2, attempt) * (0.5 + Random.Shared.NextDouble()), cancellation);
        }
    }

    // Rate limits (400/403/429) are left to the caller: retrying them here only lengthens the block.
    private static bool IsTransient(System.Net.HttpStatusCode status) =>
        (int)status >= 500 || status == System.Net.HttpStatusCode.RequestTimeout;

    private static GraphCall Call(InstagramOptions settings, string subject, string path, string fields, (string Name, string Value)[] parameters)
    {
        var root = $"{settings.BaseUrl.TrimEnd('/')}/{settings.ApiVersion}/{path}";
        var query = parameters.Prepend(("fields", fields));
        var shown = $"{root}?{string.Join('&', query.Select(p => $"{p.Item1}={p.Item2}"))}";
        var sent = $"{root}?{string.Join('&', query.Append(("access_token", settings.AccessToken!)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"))}";
        return new GraphCall(subject, new Uri(sent), shown);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Graph API GET {Url} answered {Status} in {Milliseconds:0} ms; usage {UsagePercent}%")]
    private static partial void LogCall(ILogger logger, string url, int status, double milliseconds, int usagePercent);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Subject}: the Graph API asked for less data per answer; reading {PageSize} posts per page")]
    private static partial void LogSmallerPage(ILogger logger, string subject, int pageSize);

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph API GET {Url} failed ({Failure}), attempt {Attempt}; retrying")]
    private static partial void LogRetry(ILogger logger, string url, string failure, int attempt);

    [GeneratedRegex("^[0-9]{1,40}$")]
    private static partial Regex Digits();

    [GeneratedRegex("^[0-9A-Za-z_]{1,64}$")]
    private static partial Regex MediaId();
}
