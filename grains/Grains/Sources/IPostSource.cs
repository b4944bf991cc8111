namespace Vitrina.Grains.Sources;

/// <summary>
/// Lists an account's posts, newest first. The folder source serves the demo and tests; the Instagram Graph API source
/// plugs in here under <see cref="AccountSource.Instagram"/>.
/// </summary>
public interface IPostSource
{
    string Kind { get; }

    IAsyncEnumerable<SourcePost> ReadPosts(string account, AccountSource source, CancellationToken cancellation);
}
