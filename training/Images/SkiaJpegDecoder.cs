using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;

namespace Vitrina.Training.Images;

/// <summary>
/// JPEG decoding with libjpeg-turbo (through SkiaSharp) at a reduced DCT scale (n/8), so a 1080 px photo bound for
/// 160 px never exists at full size. Skia rounds the wanted scale to the nearest eighth, which may fall short of the
/// input: a 1080x1350 photo decodes at 1/8, 135x169, and is stretched to 160x160 (the accuracy measured on photos of
/// that size does not move: docs/benchmarks.md, "decoders"). The result is oriented but not yet resized:
/// <see cref="ImagePreparation"/> resizes it with the same resampler as the ImageSharp path, so both paths differ only
/// in how the JPEG was decoded.
/// </summary>
internal static class SkiaJpegDecoder
{
    // Set once if libSkiaSharp cannot be loaded here: every photo then goes the ImageSharp way instead of failing.
    private static volatile bool unavailable;

    /// <summary>The oriented photo, or null when Skia declines it (then ImageSharp decodes it).</summary>
    /// <exception cref="ImageRejectedException">The JPEG is truncated or its data is corrupt.</exception>
    public static Image<Rgb24>? Decode(ReadOnlySpan<byte> encoded, PreparationSettings settings, Configuration configuration)
    {
        if (unavailable)
        {
            return null;
        }

        try
        {
            return DecodeScaled(encoded, settings, configuration);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            unavailable = true;
            Console.Error.WriteLine($"warning: SkiaSharp's native library did not load ({e.Message}); decoding JPEGs with ImageSharp");
            return null;
        }
    }

    /// <summary>Why libjpeg-turbo cannot decode here (its native library did not load), or null when it can.</summary>
    public static string? LoadProblem()
    {
        try
        {
            using var data = SKData.CreateCopy(new byte[1]); // the first call into libSkiaSharp loads it
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            unavailable = true;
            return e.Message;
        }
    }

    private static unsafe Image<Rgb24>? DecodeScaled(ReadOnlySpan<byte> encoded, PreparationSettings settings, Configuration configuration)
    {
        fixed (byte* start = encoded)
        {
            // No copy: the codec reads the caller's bytes, which outlive it.
            using var data = SKData.Create((IntPtr)start, encoded.Length);
            using var codec = SKCodec.Create(data);
            if (codec is null || codec.EncodedFormat != SKEncodedImageFormat.Jpeg)
            {
                return null;
            }

            var size = codec.GetScaledDimensions(Scale(codec.Info.Width, codec.Info.Height, settings));
            var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
            // Pooled: a 270x338 decode (2/8 of a 1080x1350 photo, for a 224 px input) is 365 kB, a large-object allocation per photo that would cost a gen2 collection
            // every few dozen photos.
            var rgba = ArrayPool<byte>.Shared.Rent(info.BytesSize);
            try
            {
                SKCodecResult result;
                fixed (byte* pixels = rgba)
                {
                    result = codec.GetPixels(info, (IntPtr)pixels);
                }

                if (result is SKCodecResult.IncompleteInput)
                {
                    throw new ImageRejectedException("the JPEG is truncated (its image data ends early): the upload or download was cut off");
                }

                if (result is not SKCodecResult.Success)
                {
                    throw new ImageRejectedException($"the JPEG data is corrupt ({result})");
                }

                var image = SkiaRgba.ToRgbOnWhite(rgba, size.Width, size.Height, configuration);
                Orient(image, codec.EncodedOrigin);
                return image;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rgba);
            }
        }
    }

    /// <summary>Whether the photo is at least twice the model input, so libjpeg-turbo can decode it at half size or less.</summary>
    public static bool ShrinksOnLoad(int width, int height, PreparationSettings settings) => Scale(width, height, settings) <= 0.5f;

    /// <summary>Whether photos go the ImageSharp way because libSkiaSharp did not load here.</summary>
    public static bool Unavailable => unavailable;

    /// <summary>Pixels of the decode: Skia rounds the scale to the nearest eighth, and libjpeg-turbo rounds each side up.</summary>
    public static long ScaledPixels(int width, int height, PreparationSettings settings)
    {
        var eighths = Math.Clamp((int)MathF.Round(Scale(width, height, settings) * 8), 1, 8);
        return (long)((width * eighths + 7) / 8) * ((height * eighths + 7) / 8);
    }

    /// <summary>The scale at which the photo would just cover the model input (both sides for a stretch, the long side for a pad), before Skia rounds it.</summary>
    private static float Scale(int width, int height, PreparationSettings settings)
    {
        var scale = settings.Resize == ResizeMode.Stretch
            ? Math.Max((float)settings.Size / width, (float)settings.Size / height)
            : (float)settings.Size / Math.Max(width, height);
        return Math.Min(1f, scale);
    }

    /// <summary>
    /// EXIF orientation as Skia read it, applied by ImageSharp's own AutoOrient so that both paths turn photos alike
    /// (SKEncodedOrigin's values are the EXIF orientation values).
    /// </summary>
    private static void Orient(Image<Rgb24> image, SKEncodedOrigin origin)
    {
        if (origin == SKEncodedOrigin.TopLeft)
        {
            return;
        }

        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)origin);
        image.Mutate(x => x.AutoOrient());
    }
}
