using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vitrina.Training.Images;

/// <summary>Pixels that Skia decoded, into the images the rest of the preparation works on.</summary>
internal static class SkiaRgba
{
    /// <summary>
    /// Skia's RGBA rows (it has no 3-byte format) into an image of ImageSharp's own, pooled, buffers, laid on white
    /// where they are transparent, as the preparation does with every format (an opaque JPEG's pixels come through as they are).
    /// </summary>
    public static Image<Rgb24> ToRgbOnWhite(byte[] rgba, int width, int height, Configuration configuration)
    {
        var image = new Image<Rgb24>(configuration, width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < height; y++)
            {
                var from = MemoryMarshal.Cast<byte, Rgba32>(rgba.AsSpan(y * width * 4, width * 4));
                var to = rows.GetRowSpan(y);
                for (var x = 0; x < width; x++)
                {
                    var p = from[x];
                    to[x] = p.A == 255 ? new Rgb24(p.R, p.G, p.B) : new Rgb24(OnWhite(p.R, p.A), OnWhite(p.G, p.A), OnWhite(p.B, p.A));
                }
            }
        });
        return image;
    }

    private static byte OnWhite(byte channel, byte alpha) => (byte)((channel * alpha + 255 * (255 - alpha) + 127) / 255);
}
