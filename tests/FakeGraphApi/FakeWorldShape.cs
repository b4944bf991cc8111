namespace Vitrina.FakeGraphApi;

/// <summary>What a generated world looks like: how many accounts, how many posts, and the share of each oddity.</summary>
public sealed record FakeWorldShape
{
    public int Accounts { get; init; } = 1000;

    public int MinPosts { get; init; } = 5;

    public int MaxPosts { get; init; } = 60;

    public double CarouselShare { get; init; } = 0.2;

    public double VideoShare { get; init; } = 0.1;

    public double MissingUrlShare { get; init; } = 0.02;

    public double PersonalShare { get; init; } = 0.03;

    public double PrivateShare { get; init; } = 0.02;

    /// <summary>Generated usernames: <c>shop00000</c>, <c>shop00001</c>, ...</summary>
    public static string Username(int index) => $"shop{index:D5}";
}
