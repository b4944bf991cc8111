namespace Vitrina.Images;

/// <summary>One image of one post, as an account grain hands it over.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.ImageWork")]
public sealed record ImageWork
{
    [Id(0)] public required string ImageId { get; init; }
    [Id(1)] public required string Account { get; init; }
    [Id(2)] public required string PostId { get; init; }
    /// <summary>Where the bytes are: a file:// or http(s):// URI.</summary>
    [Id(3)] public required Uri Source { get; init; }
    [Id(4)] public string? Caption { get; init; }
    [Id(5)] public string? Permalink { get; init; }
    [Id(6)] public DateTimeOffset? PostedAt { get; init; }
    /// <summary>The source's id of this image (an Instagram media id), to ask for a fresh link when the old one expired.</summary>
    [Id(7)] public string? MediaId { get; init; }
    /// <summary>The <see cref="Vitrina.Accounts.AccountSource.Kind"/> the image came from.</summary>
    [Id(8)] public string? SourceKind { get; init; }
    /// <summary>
    /// When the caller stops waiting (null: it waits as long as it takes). Past it the work stops, files nothing (unless
    /// its catalogue batch is already being written, which commits within milliseconds) and fails with a
    /// <see cref="TimeoutException"/>, so a photo is not filed long after its caller counted it unfinished (and, say,
    /// removed its account). A time of the caller's clock: image grains run on their caller's silo.
    /// </summary>
    [Id(9)] public DateTimeOffset? Deadline { get; init; }
    /// <summary>
    /// The post has been tried long enough: a fetch failure that may pass is filed as Failed with its reason instead of
    /// deferred with an <see cref="ImageDeferredException"/>.
    /// </summary>
    [Id(10)] public bool LastAttempt { get; init; }
}
