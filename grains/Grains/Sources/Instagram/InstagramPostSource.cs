using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// Posts of an Instagram account through the Graph API. <see cref="AccountSource.Location"/> is the shop's username,
/// or <see cref="GraphApiClient.OwnAccount"/> / our numeric user id for our own account.
/// </summary>
public sealed class InstagramPostSource(GraphApiClient graph, IOptionsMonitor<InstagramOptions> options) : IPostSource
{
    public string Kind => AccountSource.Instagram;

    /// <summary>The access token's fingerprint: configuration reloads and restarts with a new token change it.</summary>
    public string? Credential => options.CurrentValue.TokenFingerprint;

    /// <summary>The rate usage the API reported on the last call (`vitrina instagram fetch` prints it).</summary>
    public GraphUsage Usage => graph.Usage;

    public IAsyncEnumerable<SourcePost> ReadPosts(string account, AccountSource source, CancellationToken cancellation) =>
        Read(source, seenPostIds: null, cancellation);

    /// <summary>
    /// New posts only, reading no further page once a page ends with a seen post. The account grain marks posts seen
    /// oldest first without gaps, so every post below a page's seen last post is seen too, while a seen post higher up
    /// (one pinned to the top of the profile) does not stop the read.
    /// </summary>
    public IAsyncEnumerable<SourcePost> ReadNewPosts(string account, AccountSource source, IReadOnlySet<string> seenPostIds, CancellationToken cancellation) =>
        Read(source, seenPostIds, cancellation);

    private async IAsyncEnumerable<SourcePost> Read(AccountSource source, IReadOnlySet<string>? seenPostIds, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var videos = options.CurrentValue.Videos;
        await foreach (var page in graph.ReadMediaPages(source.Location, cancellation))
        {
            var lastSeen = false;
            foreach (var media in page)
            {
                lastSeen = seenPostIds?.Contains(media.Id) == true;
                if (!lastSeen)
                {
                    yield return GraphPostMapping.ToSourcePost(media, videos);
                }
            }

            if (lastSeen)
            {
                yield break;
            }
        }
    }
}
