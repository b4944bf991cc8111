namespace Vitrina.FakeGraphApi;

/// <summary>
/// One media item in the fake world. <see cref="HasMediaUrl"/> false models posts whose link Instagram withholds
/// (copyright review, removed content): the API omits <c>media_url</c> for them.
/// </summary>
public sealed class FakeMedia
{
    public const string Image = "IMAGE";
    public const string Video = "VIDEO";
    public const string CarouselAlbum = "CAROUSEL_ALBUM";

    private volatile bool deleted;

    public FakeMedia(string id, string mediaType, string owner, DateTimeOffset timestamp, string? caption = null, bool hasMediaUrl = true,
        IReadOnlyList<FakeMedia>? children = null)
    {
        Id = id;
        MediaType = mediaType;
        Owner = owner;
        Timestamp = timestamp;
        Caption = caption;
        HasMediaUrl = hasMediaUrl;
        Children = children ?? [];
    }

    public string Id { get; }

    public string MediaType { get; }

    public string Owner { get; }

    public DateTimeOffset Timestamp { get; }

    public string? Caption { get; }

    public bool HasMediaUrl { get; }

    public IReadOnlyList<FakeMedia> Children { get; }

    public string Permalink => $"https://www.instagram.com/p/{Shortcode}/";

    public bool Deleted => deleted;

    // Instagram's shortcodes are the id in base 64; any stable short text serves here.
    private string Shortcode => Convert.ToBase64String(BitConverter.GetBytes(long.Parse(Id) ^ 0x5DEECE66DL)).TrimEnd('=').Replace('/', '_').Replace('+', '-');

    internal void Delete() => deleted = true;
}
