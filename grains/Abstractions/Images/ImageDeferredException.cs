namespace Vitrina.Images;

/// <summary>
/// An image could not be fetched for a reason that may pass (the CDN answering 5xx or 429, a connection failing or
/// stalling). Nothing was filed: its post stays unfinished and the account tries it again at a later poll, until
/// <see cref="ImageWork.LastAttempt"/> files it as Failed.
/// </summary>
[GenerateSerializer, Alias("Vitrina.ImageDeferredException")]
public sealed class ImageDeferredException(string message) : Exception(message)
{
    /// <summary>How long the photo's server asked us to stay away (its <c>Retry-After</c>), when it said.</summary>
    [Id(0)] public TimeSpan? RetryAfter { get; init; }
}
