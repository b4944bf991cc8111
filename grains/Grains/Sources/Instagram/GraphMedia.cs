using System.Globalization;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>One Instagram media item as the Graph API lists it; carousels carry their children.</summary>
public sealed record GraphMedia(
    string Id, string MediaType, Uri? MediaUrl, Uri? ThumbnailUrl, string? Permalink, string? Caption, DateTimeOffset? Timestamp,
    IReadOnlyList<GraphMedia> Children)
{
    public const string Image = "IMAGE";
    public const string Video = "VIDEO";
    public const string CarouselAlbum = "CAROUSEL_ALBUM";

    internal static GraphMedia? From(GraphWire.Media wire) =>
        wire.Id is not { Length: > 0 } id
            ? null
            : new GraphMedia(
                id, wire.MediaType ?? "", Link(wire.MediaUrl), Link(wire.ThumbnailUrl), wire.Permalink, wire.Caption, Time(wire.Timestamp),
                wire.Children?.Data?.Select(From).OfType<GraphMedia>().ToList() ?? []);

    private static Uri? Link(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;

    // The API writes "2024-05-01T10:00:00+0000".
    private static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t.ToUniversalTime() : null;
}
