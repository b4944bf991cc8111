using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Vitrina.Training.Images;

/// <summary>
/// How a photo that passed the checks will be decoded, and the memory that takes, read from its header by
/// <see cref="ImagePreparation.Inspect(ReadOnlySpan{byte}, PreparationSettings)"/> before any pixel is decoded. The
/// pipeline reserves <see cref="MemoryBytes"/> before decoding: a 133 kB PNG of 40 MP takes 273 MB to decode, and a
/// silo decodes several photos at once.
/// </summary>
public sealed class DecodePlan
{
    private DecodePlan(
        int width, int height, IImageFormat? format, PreparationSettings settings, DecodePath path, long memoryBytes, ushort? pngOrientation = null,
        long fullSizeBytes = 0)
    {
        FullSizeBytes = fullSizeBytes;
        PngOrientation = pngOrientation;
        Width = width;
        Height = height;
        Format = format;
        Settings = settings;
        Path = path;
        MemoryBytes = memoryBytes;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>
    /// The most memory decoding and preparing the photo holds at once, give or take a megabyte of decoder state: the
    /// decoded pixels, the copies made to drop alpha and to turn the photo upright, and a progressive JPEG's coefficients.
    /// </summary>
    public long MemoryBytes { get; }

    public PreparationSettings Settings { get; }

    /// <summary>
    /// Whether a JPEG that libjpeg-turbo declines fails with <see cref="DecodeReplanException"/>, for a caller that
    /// reserved <see cref="MemoryBytes"/> for the reduced decode, rather than being decoded at full size in its place.
    /// </summary>
    public bool ReplanOnDecline { get; private init; }

    /// <summary>What ImageSharp's full-size decode of a JPEG planned for the reduced one takes.</summary>
    private long FullSizeBytes { get; }

    /// <summary>This plan, for a caller that reserves its memory: see <see cref="ReplanOnDecline"/>.</summary>
    public DecodePlan Replanning() => Path == DecodePath.SkiaJpeg
        ? new DecodePlan(Width, Height, Format, Settings, Path, MemoryBytes, PngOrientation, FullSizeBytes) { ReplanOnDecline = true }
        : this;

    /// <summary>The full-size ImageSharp decode of a JPEG planned for libjpeg-turbo's reduced one.</summary>
    internal DecodePlan AtFullSize() => new(Width, Height, Format, Settings, DecodePath.ImageSharp, FullSizeBytes);

    internal IImageFormat? Format { get; }

    internal DecodePath Path { get; }

    /// <summary>A PNG's EXIF orientation from its eXIf chunk, read once here: ImageSharp is told to skip PNG metadata (<see cref="PngExif"/>).</summary>
    internal ushort? PngOrientation { get; }

    internal static DecodePlan For(ReadOnlySpan<byte> encoded, IImageInfo info, IImageFormat? format, PreparationSettings settings, DecoderChoice decoder)
    {
        var pixels = (long)info.Width * info.Height;
        if (format is not JpegFormat)
        {
            // Decoded with alpha (4 bytes a pixel), laid on white and copied to RGB (3); turning it upright is a fourth copy.
            var pngOrientation = format is PngFormat ? PngExif.Orientation(encoded) : null;
            var turned = IsTurned(pngOrientation ?? Orientation(info));
            return new DecodePlan(info.Width, info.Height, format, settings, DecodePath.ImageSharp, pixels * (turned ? 11 : 7), pngOrientation);
        }

        // CMYK JPEGs (print exports) stay with ImageSharp: Skia would convert their colours differently.
        var usesSkia = !SkiaJpegDecoder.Unavailable && info.Metadata.GetJpegMetadata().ColorType != JpegColorType.Cmyk && decoder switch
        {
            DecoderChoice.Skia => true,
            DecoderChoice.Auto => SkiaJpegDecoder.ShrinksOnLoad(info.Width, info.Height, settings),
            _ => false,
        };
        var coefficients = JpegFrame.Read(encoded) is { Progressive: true } frame ? frame.CoefficientBytes : 0;
        var fullSize = pixels * (IsTurned(Orientation(info)) ? 6 : 3) + coefficients;
        if (usesSkia)
        {
            // Skia's RGBA rows (4 bytes a pixel), their RGB copy (3) and a turned copy (3), at the reduced scale: assumed
            // rather than read, since parsing the EXIF block would cost more than the few kilobytes it could spare.
            var scaled = SkiaJpegDecoder.ScaledPixels(info.Width, info.Height, settings);
            return new DecodePlan(info.Width, info.Height, format, settings, DecodePath.SkiaJpeg, scaled * (4 + 3 + 3) + coefficients,
                fullSizeBytes: fullSize);
        }

        return new DecodePlan(info.Width, info.Height, format, settings, DecodePath.ImageSharp, fullSize);
    }

    /// <summary>A GIF's first frame, decoded with alpha (4 bytes a pixel) and laid on white as RGB (3); GIFs carry no orientation.</summary>
    internal static DecodePlan ForGif(int width, int height, PreparationSettings settings) =>
        new(width, height, GifFormat.Instance, settings, DecodePath.ImageSharp, (long)width * height * 7);

    /// <summary>The first frame of an animated WebP, decoded as RGBA (4 bytes a pixel) and laid on white as RGB (3); browsers ignore a WebP's EXIF orientation, and so does this.</summary>
    internal static DecodePlan ForAnimatedWebp(int width, int height, PreparationSettings settings) =>
        new(width, height, WebpFormat.Instance, settings, DecodePath.AnimatedWebpFirstFrame, (long)width * height * 7);

    private static ushort? Orientation(IImageInfo info) => info.Metadata.ExifProfile?.GetValue(ExifTag.Orientation)?.Value;

    /// <summary>Whether the EXIF orientation asks for anything but the photo as stored.</summary>
    private static bool IsTurned(ushort? orientation) => orientation is > 1 and <= 8;
}
