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

    /// <summary>Instagram lets an account pin this many posts to the top of its profile, above newer ones.</summary>
    public const int MostPinnedPosts = 3;

    public IAsyncEnumerable<SourcePost> ReadPosts(string account, AccountSource source, CancellationToken cancellation) =>
        Read(source, seenPostIds: null, cancellation);

    /// <summary>
    /// New posts only, reading no further page once a page ends with a seen post below the top of the list. The account
    /// grain marks posts seen oldest first without gaps, so every post below a seen one that follows a new one is seen
    /// too. At the top, up to <see cref="MostPinnedPosts"/> seen posts may be pinned there out of order: a read that has
    /// met no new post yet goes on past them, also when a page is smaller than that (the API asks for smaller pages when
    /// an answer is too big to build).
    /// </summary>
    public IAsyncEnumerable<SourcePost> ReadNewPosts(string account, AccountSource source, IReadOnlySet<string> seenPostIds, CancellationToken cancellation) =>
        Read(source, seenPostIds, cancellation);

    private async IAsyncEnumerable<SourcePost> Read(AccountSource source, IReadOnlySet<string>? seenPostIds, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var videos = options.CurrentValue.Videos;
        var seenAtTop = 0;
        var metNew = false;
        await foreach (var page in graph.ReadMediaPages(source.Location, cancellation))
        {
            var lastSeen = false;
            foreach (var media in page)
            {
                lastSeen = seenPostIds?.Contains(media.Id) == true;
                if (!lastSeen)
                {
                    metNew = true;
                    yield return GraphPostMapping.ToSourcePost(media, videos);
                }
                else if (!metNew)
                {
                    seenAtTop++;
                }
            }

            if (lastSeen && (metNew || seenAtTop > MostPinnedPosts))
            {
                yield break;
            }
        }
    }
}
