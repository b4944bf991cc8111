using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Advanced;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Vitrina.Training.Images;

/// <summary>
/// The small JPEG a shelf shows for a catalogued photo, kept in the catalogue: an Instagram photo's link expires within
/// days, and a folder account's file is on one silo's disk only, so neither can stand behind a shelf for long.
/// </summary>
public static class Thumbnails
{
    /// <summary>Sharp in the dashboard's and moderation page's tiles (64-96 CSS pixels) on high-density screens, and about 10 kB.</summary>
    public const int DefaultSide = 256;

    public const int MinSide = 32;
    public const int MaxSide = 1024;

    private static readonly JpegEncoder Encoder = new() { Quality = 80, ColorType = JpegColorType.YCbCrRatio420 };

    /// <summary>
    /// The photo fitted within <paramref name="longSide"/> pixels, never enlarged, as a JPEG with nothing of the
    /// original's metadata (an amateur photo's EXIF may hold where it was taken): the pixels are copied into a new
    /// image, shrunk on the way by the preparation's byte resize where needed (ImageSharp's own resize took 0.9 ms per amateur photo, this one 0.3:
    /// docs/benchmarks.md, "Thumbnails").
    /// </summary>
    public static byte[] Encode(Image<Rgb24> photo, int longSide)
    {
        if (longSide is < MinSide or > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(longSide), longSide, $"A thumbnail's long side must be {MinSide}-{MaxSide} px.");
        }

        var scale = Math.Min(1.0, longSide / (double)Math.Max(photo.Width, photo.Height));
        var (width, height) = (Math.Max(1, (int)Math.Round(photo.Width * scale)), Math.Max(1, (int)Math.Round(photo.Height * scale)));
        // Pooled: at 256 px a thumbnail's pixels (131 kB) land on the large-object heap, and one per photo filed made the
        // pipeline collect gen2 seven times a second (docs/benchmarks.md, "Thumbnails").
        var length = width * height * 3;
        var pixels = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            if (scale < 1)
            {
                TriangleResize.Into(photo, pixels, width, new Rectangle(0, 0, width, height));
            }
            else
            {
                // Already small enough: an Instagram photo decoded at 1/8 for the model (135x169) is, usually.
                photo.CopyPixelDataTo(pixels.AsSpan(0, length));
            }

            using var thumbnail = Image.WrapMemory<Rgb24>(photo.GetConfiguration(), pixels.AsMemory(0, length), width, height);
            using var jpeg = new MemoryStream(16 * 1024);
            thumbnail.SaveAsJpeg(jpeg, Encoder);
            return jpeg.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }
}
