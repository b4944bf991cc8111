using System.Runtime.CompilerServices;

namespace Vitrina.Grains.Sources;

/// <summary>
/// Lists an account's posts, newest first. The folder source serves the demo and tests; the Instagram Graph API source
/// plugs in here under <see cref="AccountSource.Instagram"/>.
/// </summary>
public interface IPostSource
{
    string Kind { get; }

    /// <summary>
    /// A short, non-secret name of the credential the source calls with now; null when it needs none or has none. An
    /// account parked because a credential was refused polls again by itself once this names another one.
    /// </summary>
    string? Credential => null;

    IAsyncEnumerable<SourcePost> ReadPosts(string account, AccountSource source, CancellationToken cancellation);

    /// <summary>
    /// The posts not in <paramref name="seenPostIds"/>, newest first. Sources that pay per page (APIs) override this to
    /// stop reading once they reach posts already seen; the default reads everything and filters.
    /// </summary>
    async IAsyncEnumerable<SourcePost> ReadNewPosts(
        string account, AccountSource source, IReadOnlySet<string> seenPostIds, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var post in ReadPosts(account, source, cancellation))
        {
            if (!seenPostIds.Contains(post.PostId))
            {
                yield return post;
            }
        }
    }
}
