namespace Vitrina.Accounts;

/// <summary>The outcome of one poll: posts that were new, images handed over, images that failed.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.PollResult")]
public sealed record PollResult([property: Id(0)] int NewPosts, [property: Id(1)] int ImagesSubmitted, [property: Id(2)] int ImagesFailed, [property: Id(3)] string? Error);
