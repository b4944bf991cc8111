using System.Globalization;
using System.Text.Json.Nodes;

namespace Vitrina.FakeGraphApi;

/// <summary>Writes media nodes with exactly the requested fields, leaving out those a post does not have.</summary>
internal sealed class MediaRenderer(FakeCdn cdn)
{
    private static readonly IReadOnlyList<FieldSelection> IdOnly = [new("id", new Dictionary<string, string>(), [])];

    public JsonObject Render(FakeMedia media, IReadOnlyList<FieldSelection> fields, HttpRequest request)
    {
        var node = new JsonObject();
        foreach (var field in fields.Count > 0 ? fields : IdOnly)
        {
            switch (field.Name)
            {
                case "id":
                    node["id"] = media.Id;
                    break;
                case "media_type":
                    node["media_type"] = media.MediaType;
                    break;
                case "media_url" when MediaUrl(media, request) is { } url:
                    node["media_url"] = url;
                    break;
                // Meta withholds a video's media_url (copyrighted audio, downloads turned off) but not its cover frame.
                case "thumbnail_url" when media is { MediaType: FakeMedia.Video }:
                    node["thumbnail_url"] = cdn.Link(request, media.Id, "jpg");
                    break;
                case "permalink":
                    node["permalink"] = media.Permalink;
                    break;
                case "caption" when media.Caption is not null:
                    node["caption"] = media.Caption;
                    break;
                case "timestamp":
                    node["timestamp"] = media.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);
                    break;
                case "username":
                    node["username"] = media.Owner;
                    break;
                case "media_product_type":
                    node["media_product_type"] = "FEED";
                    break;
                case "like_count" or "comments_count":
                    node[field.Name] = 0;
                    break;
                case "children" when media.MediaType == FakeMedia.CarouselAlbum:
                    node["children"] = new JsonObject
                    {
                        ["data"] = new JsonArray(media.Children.Select(c => (JsonNode)Render(c, field.Children, request)).ToArray()),
                    };
                    break;
                case "media_url" or "thumbnail_url" or "caption" or "children":
                    break;
                default:
                    throw new GraphAnswerException(400, GraphErrors.BadParameter($"Tried accessing nonexisting field ({field.Name}) on node type (IGMedia)"));
            }
        }

        node["id"] ??= media.Id; // the API names every node it returns
        return node;
    }

    // A carousel's own media_url is its first child's; a post under review has none.
    private string? MediaUrl(FakeMedia media, HttpRequest request) => media switch
    {
        { HasMediaUrl: false } => null,
        { MediaType: FakeMedia.CarouselAlbum } => media.Children.FirstOrDefault(c => c.HasMediaUrl) is { } first ? MediaUrl(first, request) : null,
        { MediaType: FakeMedia.Video } => cdn.Link(request, media.Id, "mp4"),
        _ => cdn.Link(request, media.Id, "jpg"),
    };
}
