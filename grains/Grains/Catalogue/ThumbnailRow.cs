namespace Vitrina.Grains.Catalogue;

/// <summary>
/// The thumbnails table's row: a filed photo's shelf JPEG, keyed like its catalogue row. A table of its own so that
/// reading catalogue rows never carries kilobytes of pictures along.
/// </summary>
public sealed class ThumbnailRow
{
    public required string ImageId { get; set; }
    public required byte[] Jpeg { get; set; }
}
