using System.Text.Json;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>The Graph API's JSON shapes, as read off the wire (snake_case).</summary>
internal static class GraphWire
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public sealed record Media(
        string? Id, string? MediaType, string? MediaUrl, string? ThumbnailUrl, string? Permalink, string? Caption, string? Timestamp, Page<Media>? Children);

    public sealed record Page<T>(List<T>? Data, Paging? Paging);

    public sealed record Paging(Cursors? Cursors, string? Next);

    public sealed record Cursors(string? Before, string? After);

    public sealed record BusinessDiscoveryAnswer(BusinessAccount? BusinessDiscovery, string? Id);

    public sealed record BusinessAccount(string? Id, Page<Media>? Media);

    /// <summary>A Facebook Page of the token's user, with the Instagram business account linked to it, if any.</summary>
    public sealed record FacebookPage(string? Id, string? Name, Node? InstagramBusinessAccount);

    public sealed record Node(string? Id, string? Username = null);
}
