using System.Collections.Concurrent;

namespace Vitrina.FakeGraphApi;

/// <summary>
/// The fake's in-memory Instagram: accounts by username, their media, and our own business account
/// (<see cref="Owner"/>, the one the access token belongs to). Worlds are generated from a seed, and posts can be added
/// and deleted while the server runs.
/// </summary>
public sealed class FakeInstagram
{
    public const string OwnerUsername = "vitrina.catalogue";
    public const string OwnerId = "17841499999999999";

    /// <summary>The Facebook user the token belongs to (Facebook Login), and the Page linking our Instagram account.</summary>
    public const string FacebookUserId = "10158000000000001";

    public const string FacebookPageId = "10900000000000001";

    private static readonly DateTimeOffset GeneratedNewest = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Colours = ["black", "white", "red", "blue", "green", "beige", "pink", "brown"];
    private static readonly string[] Garments = ["dress", "bag", "shirt", "jeans", "coat", "scarf", "heels", "jacket"];

    private readonly ConcurrentDictionary<string, FakeAccount> accounts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, FakeMedia> media = new();
    private long nextAccount, nextPost;

    public FakeInstagram()
    {
        Owner = Register(new FakeAccount(OwnerUsername, OwnerId, FakeAccountKind.Business, null));
    }

    /// <summary>The fake's time: post times, signed-link expiry and rate windows all read it.</summary>
    public FakeClock Clock { get; } = new();

    public FakeAccount Owner { get; }

    public int AccountCount => accounts.Count;

    /// <summary>
    /// A world of <see cref="FakeWorldShape.Accounts"/> accounts named by <see cref="FakeWorldShape.Username"/>; the same
    /// seed gives the same accounts, posts and ids. Posts are made when an account is first read.
    /// </summary>
    public static FakeInstagram Generate(FakeWorldShape shape, int seed = 1)
    {
        var world = new FakeInstagram();
        for (var i = 0; i < shape.Accounts; i++)
        {
            var random = new Random(HashCode.Combine(seed, i));
            var roll = random.NextDouble();
            var kind = roll < shape.PersonalShare ? FakeAccountKind.Personal
                : roll < shape.PersonalShare + shape.PrivateShare ? FakeAccountKind.Private
                : FakeAccountKind.Business;
            var index = i;
            world.Register(new FakeAccount(FakeWorldShape.Username(i), $"178414{i:D11}", kind, account => world.GeneratePosts(account, index, shape, seed)));
        }

        return world;
    }

    public FakeAccount AddAccount(string username, FakeAccountKind kind = FakeAccountKind.Business) =>
        Register(new FakeAccount(username, $"178415{Interlocked.Increment(ref nextAccount):D11}", kind, null));

    /// <summary>A new newest post: an image, or a video (<see cref="FakeMedia.Video"/>).</summary>
    public FakeMedia AddPost(string username, string mediaType = FakeMedia.Image, bool hasMediaUrl = true, string? caption = null)
    {
        var account = Account(username);
        var id = NextPostId();
        return Publish(account, new FakeMedia($"{id}00", mediaType, account.Username, NextTime(account), caption ?? $"post {id}", hasMediaUrl));
    }

    /// <summary>A new newest carousel whose children have the given types (images by default).</summary>
    public FakeMedia AddCarousel(string username, params string[] childTypes)
    {
        var account = Account(username);
        var id = NextPostId();
        var at = NextTime(account);
        var types = childTypes.Length > 0 ? childTypes : [FakeMedia.Image, FakeMedia.Image, FakeMedia.Image];
        var children = types.Select((type, c) => new FakeMedia($"{id}{c + 1:D2}", type, account.Username, at)).ToList();
        return Publish(account, new FakeMedia($"{id}00", FakeMedia.CarouselAlbum, account.Username, at, $"carousel {id}", true, children));
    }

    public IReadOnlyList<FakeMedia> AddPosts(string username, int count) => Enumerable.Range(0, count).Select(_ => AddPost(username)).ToList();

    /// <summary>Deletes a post: it vanishes from listings and its node and image answer as missing.</summary>
    public bool DeletePost(string mediaId)
    {
        if (FindMedia(mediaId) is not { } post)
        {
            return false;
        }

        post.Delete();
        foreach (var child in post.Children)
        {
            child.Delete();
        }

        return true;
    }

    public FakeAccount? FindAccount(string username) => accounts.GetValueOrDefault(username);

    public FakeMedia? FindMedia(string id)
    {
        if (media.TryGetValue(id, out var found))
        {
            return found;
        }

        // A generated account's posts exist once read; its id names it (17 + account + post + child).
        if (id.Length == 15 && id.StartsWith("17", StringComparison.Ordinal) && int.TryParse(id.AsSpan(2, 6), out var index)
            && FindAccount(FakeWorldShape.Username(index)) is { } account)
        {
            _ = account.AllMedia();
        }

        return media.GetValueOrDefault(id);
    }

    private FakeAccount Register(FakeAccount account)
    {
        if (!accounts.TryAdd(account.Username, account))
        {
            throw new ArgumentException($"account {account.Username} exists already");
        }

        return account;
    }

    private FakeAccount Account(string username) =>
        FindAccount(username) ?? throw new ArgumentException($"no account {username}; add it with {nameof(AddAccount)} first");

    private string NextPostId() => $"18{Interlocked.Increment(ref nextPost):D11}";

    private DateTimeOffset NextTime(FakeAccount account)
    {
        // The API gives whole seconds; posts a moment apart must still sort.
        var now = Clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var newest = account.AllMedia().FirstOrDefault()?.Timestamp;
        return newest is { } n && n >= now ? n.AddSeconds(1) : now;
    }

    private FakeMedia Publish(FakeAccount account, FakeMedia post)
    {
        Index(post);
        account.Prepend(post);
        return post;
    }

    private void Index(FakeMedia post)
    {
        media[post.Id] = post;
        foreach (var child in post.Children)
        {
            media[child.Id] = child;
        }
    }

    private IEnumerable<FakeMedia> GeneratePosts(FakeAccount account, int index, FakeWorldShape shape, int seed)
    {
        var random = new Random(HashCode.Combine(seed, index, "posts"));
        var count = random.Next(shape.MinPosts, shape.MaxPosts + 1);
        var at = GeneratedNewest.AddHours(-random.Next(0, 24 * 30));
        for (var p = 0; p < count; p++)
        {
            var id = $"17{index:D6}{p:D5}";
            var caption = $"{Colours[random.Next(Colours.Length)]} {Garments[random.Next(Garments.Length)]}, new in at {account.Username}";
            var roll = random.NextDouble();
            FakeMedia post;
            if (roll < shape.CarouselShare)
            {
                var children = Enumerable.Range(1, random.Next(2, 6))
                    .Select(c => new FakeMedia($"{id}{c:D2}", random.NextDouble() < shape.VideoShare ? FakeMedia.Video : FakeMedia.Image,
                        account.Username, at, hasMediaUrl: random.NextDouble() >= shape.MissingUrlShare))
                    .ToList();
                post = new FakeMedia($"{id}00", FakeMedia.CarouselAlbum, account.Username, at, caption, true, children);
            }
            else
            {
                var type = roll < shape.CarouselShare + shape.VideoShare ? FakeMedia.Video : FakeMedia.Image;
                post = new FakeMedia($"{id}00", type, account.Username, at, caption, random.NextDouble() >= shape.MissingUrlShare);
            }

            Index(post);
            yield return post;
            at = at.AddHours(-random.Next(1, 72));
        }
    }
}
