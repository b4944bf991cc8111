using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace Vitrina.Training.Images;

/// <summary>
/// Animated WebP files, whose first frame is the photo, as with a GIF. ImageSharp 2.1 refuses them outright ("Animated
/// webp are not yet supported"), even to read their size; libwebp, through SkiaSharp, decodes the first frame.
/// </summary>
internal static class AnimatedWebp
{
    /// <summary>The canvas of an animated WebP (its extended header has the animation flag), or null for anything else.</summary>
    public static (int Width, int Height)? Canvas(ReadOnlySpan<byte> encoded)
    {
        // "RIFF", size, "WEBP", then a "VP8X" chunk: its length (10), flags (animation is bit 1), 3 reserved bytes, and
        // the canvas's width and height less one, 24-bit little-endian each.
        if (encoded.Length < 30 || !encoded.StartsWith("RIFF"u8) || !encoded[8..].StartsWith("WEBPVP8X"u8) || (encoded[20] & 0x02) == 0)
        {
            return null;
        }

        return (ReadUInt24(encoded[24..]) + 1, ReadUInt24(encoded[27..]) + 1);
    }

    /// <summary>The first frame, laid on white where it is transparent, as the preparation does with other formats; null when libSkiaSharp cannot be loaded.</summary>
    /// <exception cref="ImageRejectedException">The frame's data is corrupt or cut off.</exception>
    public static Image<Rgb24>? DecodeFirstFrame(ReadOnlySpan<byte> encoded, Configuration configuration)
    {
        if (SkiaJpegDecoder.Unavailable)
        {
            return null;
        }

        try
        {
            return DecodeWithSkia(encoded, configuration);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            return null; // the caller says that only SkiaSharp decodes these
        }
    }

    private static unsafe Image<Rgb24> DecodeWithSkia(ReadOnlySpan<byte> encoded, Configuration configuration)
    {
        fixed (byte* start = encoded)
        {
            using var data = SKData.Create((IntPtr)start, encoded.Length);
            using var codec = SKCodec.Create(data) ?? throw new ImageRejectedException("the animated WebP is unreadable");
            var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var rgba = ArrayPool<byte>.Shared.Rent(info.BytesSize);
            try
            {
                SKCodecResult result;
                fixed (byte* pixels = rgba)
                {
                    result = codec.GetPixels(info, (IntPtr)pixels, new SKCodecOptions(0));
                }

                if (result is not SKCodecResult.Success)
                {
                    throw new ImageRejectedException($"the animated WebP's first frame is corrupt or cut off ({result})");
                }

                return SkiaRgba.ToRgbOnWhite(rgba, info.Width, info.Height, configuration);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rgba);
            }
        }
    }

    private static int ReadUInt24(ReadOnlySpan<byte> bytes) => bytes[0] | bytes[1] << 8 | bytes[2] << 16;
}
