using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Vitrina.Training.Images;

/// <summary>
/// The one way a photo becomes model input, used by training, evaluation, `vitrina predict` and the image grains alike:
/// decode, apply EXIF orientation, convert to RGB, fit to the model's square input. Photos are decoded by ImageSharp,
/// except JPEGs at least twice the model input, which libjpeg-turbo decodes at a reduced scale (<see cref="SkiaJpegDecoder"/>;
/// <see cref="DecoderChoice"/> and <see cref="DecoderSwitch"/> for the choice). The checks before decoding, which also
/// plan the decode and its memory (<see cref="DecodePlan"/>), and the resize are the same on both paths.
/// </summary>
public static class ImagePreparation
{
    /// <summary>Photos above this many pixels are refused before decoding: a 30,000 x 30,000 PNG would need 2.7 GB.</summary>
    public const long MaxPixels = 40_000_000;

    /// <summary>
    /// Photos with a longer side are refused before decoding: no camera makes them (100 MP sensors are under 12,000 px
    /// wide), and the resize's work and kernel tables grow with the longer side, so a 40,000,000 x 1 strip would cost
    /// hundreds of megabytes without breaking the pixel limit.
    /// </summary>
    public const int MaxSide = 20_000;

    /// <summary>Files above this size are refused before reading them into memory.</summary>
    public const long MaxBytes = 50L * 1024 * 1024;

    private static readonly Configuration Decoding = CreateConfiguration();

    /// <summary>
    /// How this process decodes JPEGs, for a silo to say at start: <paramref name="degraded"/> when the fast decoder
    /// was meant to run and cannot (SkiaSharp's native library missing from an image: 3.6x slower decoding, and
    /// otherwise only one line on stderr at the first photo).
    /// </summary>
    public static string DescribeJpegDecoding(out bool degraded)
    {
        degraded = false;
        if (DecoderSwitch.Default == DecoderChoice.ImageSharp)
        {
            return $"ImageSharp for every photo ({DecoderSwitch.Variable}=imagesharp)";
        }

        if (SkiaJpegDecoder.LoadProblem() is { } problem)
        {
            degraded = true;
            return $"ImageSharp for every photo: SkiaSharp's native library did not load ({problem}), so Instagram-sized JPEGs decode about 3.6x slower";
        }

        return DecoderSwitch.Default == DecoderChoice.Skia
            ? $"libjpeg-turbo (SkiaSharp) for every JPEG ({DecoderSwitch.Variable}=skia)"
            : "libjpeg-turbo (SkiaSharp) at reduced scale for JPEGs at least twice the model input, ImageSharp for the rest";
    }

    public static PreparedImage Prepare(ReadOnlySpan<byte> encoded, PreparationSettings settings) =>
        Prepare(encoded, Inspect(encoded, settings));

    /// <summary>As <see cref="Prepare(ReadOnlySpan{byte}, PreparationSettings)"/> with a chosen decoder, for comparisons and tests.</summary>
    public static PreparedImage Prepare(ReadOnlySpan<byte> encoded, PreparationSettings settings, DecoderChoice decoder) =>
        Prepare(encoded, Inspect(encoded, settings, decoder));

    /// <summary>As <see cref="Prepare(ReadOnlySpan{byte}, PreparationSettings)"/>, following the plan <see cref="Inspect(ReadOnlySpan{byte}, PreparationSettings)"/> made of the same bytes.</summary>
    public static PreparedImage Prepare(ReadOnlySpan<byte> encoded, DecodePlan plan)
    {
        using var image = Decode(encoded, plan);
        return new PreparedImage(plan.Settings.Size, plan.Settings.Size, Fit(image, plan.Settings));
    }

    public static PreparedWithThumbnail PrepareWithThumbnail(ReadOnlySpan<byte> encoded, PreparationSettings settings, int thumbnailSide) =>
        PrepareWithThumbnail(encoded, Inspect(encoded, settings), thumbnailSide);

    /// <summary>
    /// The model input, exactly as <see cref="Prepare(ReadOnlySpan{byte}, DecodePlan)"/> makes it, and the shelf's
    /// thumbnail (<see cref="Thumbnails"/>) from the same decode: a second decode would cost as much as the first,
    /// and decoding is the pipeline's bottleneck.
    /// </summary>
    public static PreparedWithThumbnail PrepareWithThumbnail(ReadOnlySpan<byte> encoded, DecodePlan plan, int thumbnailSide)
    {
        using var image = Decode(encoded, plan);
        var input = new PreparedImage(plan.Settings.Size, plan.Settings.Size, Fit(image, plan.Settings));
        return new PreparedWithThumbnail(input, Thumbnails.Encode(image, thumbnailSide));
    }

    /// <summary>
    /// The checks before decoding (size, format, truncation, pixel and side limits), and how the photo will be decoded
    /// and what memory that takes (<see cref="DecodePlan"/>), from its header: tens of microseconds for the photos
    /// measured, up to 0.1 ms for a TIFF; still, call it where a decode could run too.
    /// </summary>
    /// <exception cref="ImageRejectedException">The photo fails a check.</exception>
    public static DecodePlan Inspect(ReadOnlySpan<byte> encoded, PreparationSettings settings) =>
        Inspect(encoded, settings, DecoderSwitch.Default);

    internal static DecodePlan Inspect(ReadOnlySpan<byte> encoded, PreparationSettings settings, DecoderChoice decoder)
    {
        if (encoded.Length == 0)
        {
            throw new ImageRejectedException("the file is empty");
        }

        if (encoded.Length > MaxBytes)
        {
            throw new ImageRejectedException($"the file is {encoded.Length / (1024 * 1024)} MB, above the {MaxBytes / (1024 * 1024)} MB limit");
        }

        if (AnimatedWebp.Canvas(encoded) is { } canvas)
        {
            CheckSize(canvas.Width, canvas.Height);
            return DecodePlan.ForAnimatedWebp(canvas.Width, canvas.Height, settings);
        }

        if (GifScreen.Size(encoded) is { } screen)
        {
            CheckSize(screen.Width, screen.Height);
            return DecodePlan.ForGif(screen.Width, screen.Height, settings);
        }

        var (info, format) = Identify(encoded);
        if (format is JpegFormat && !EndsLikeJpeg(encoded))
        {
            // ImageSharp fills a cut-off JPEG with grey and carries on; a half-grey photo would be labelled "Gray".
            throw new ImageRejectedException("the JPEG is truncated (no end-of-image marker): the upload or download was cut off");
        }

        CheckSize(info.Width, info.Height);
        return DecodePlan.For(encoded, info, format, settings, decoder);
    }

    private static void CheckSize(int width, int height)
    {
        if ((long)width * height > MaxPixels)
        {
            throw new ImageRejectedException($"the image is {width}x{height} pixels, above the {MaxPixels / 1_000_000} megapixel limit");
        }

        if (Math.Max(width, height) > MaxSide)
        {
            throw new ImageRejectedException($"the image is {width}x{height} pixels, a side above the {MaxSide} px limit");
        }
    }

    /// <summary>
    /// The decoded and oriented photo: of a GIF, a multi-page TIFF or an animated WebP, its first frame only. A JPEG at
    /// least twice the model input is shrunk on load, to about the input's size.
    /// </summary>
    internal static Image<Rgb24> Decode(ReadOnlySpan<byte> encoded, DecodePlan plan)
    {
        try
        {
            return plan.Path switch
            {
                DecodePath.SkiaJpeg => SkiaJpegDecoder.Decode(encoded, plan.Settings, Decoding)
                    ?? (plan.ReplanOnDecline ? throw new DecodeReplanException(plan.AtFullSize()) : DecodeWithImageSharp(encoded, plan)),
                DecodePath.AnimatedWebpFirstFrame => AnimatedWebp.DecodeFirstFrame(encoded, Decoding)
                    ?? throw new ImageRejectedException("an animated WebP, which only SkiaSharp decodes, and its native library did not load here"),
                _ => DecodeWithImageSharp(encoded, plan),
            };
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            throw new ImageRejectedException($"the image data is corrupt or truncated ({e.Message})", e);
        }
        catch (Exception e) when (DecoderFault(e))
        {
            throw new ImageRejectedException($"the image data is corrupt: its decoder failed on it ({e.GetType().Name}: {e.Message})", e) { DecoderFailed = true };
        }
    }

    /// <summary>
    /// ImageSharp 2.1 wraps only some of its decoders' failures: on damaged BMP, TGA, TIFF, WebP and JPEG files they also
    /// throw NullReference, IndexOutOfRange, Argument and InvalidOperation exceptions (CorruptImageTests). Each is that
    /// photo's fault; let through, it failed the whole post for ever instead of filing the photo as Failed.
    /// </summary>
    private static bool DecoderFault(Exception e) =>
        e is not (ImageRejectedException or DecodeReplanException or OutOfMemoryException or OperationCanceledException);

    private static Image<Rgb24> DecodeWithImageSharp(ReadOnlySpan<byte> encoded, DecodePlan plan)
    {
        if (plan.Format is JpegFormat)
        {
            var image = Image.Load<Rgb24>(Decoding, encoded);
            image.Mutate(x => x.AutoOrient());
            return image;
        }

        // Dropping the alpha channel would leave a cut-out product on whatever colour its transparent pixels hold, black
        // as often as not, and the garment would be labelled by that. On white it looks like the catalogue photos the
        // models learnt from; opaque pixels come through unchanged.
        using var withAlpha = Image.Load<Rgba32>(Decoding, encoded);
        if (plan.PngOrientation is { } orientation)
        {
            // PNG metadata is not decoded (CreateConfiguration): the orientation comes from the eXIf chunk.
            withAlpha.Metadata.ExifProfile = new ExifProfile();
            withAlpha.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        }

        withAlpha.Mutate(x => x.AutoOrient().BackgroundColor(Color.White));
        return withAlpha.CloneAs<Rgb24>();
    }

    public static PreparedImage PrepareFile(string path, PreparationSettings settings)
    {
        var length = new FileInfo(path).Length;
        if (length > MaxBytes)
        {
            throw new ImageRejectedException($"the file is {length / (1024 * 1024)} MB, above the {MaxBytes / (1024 * 1024)} MB limit");
        }

        return Prepare(File.ReadAllBytes(path), settings);
    }

    private static unsafe (IImageInfo Info, IImageFormat? Format) Identify(ReadOnlySpan<byte> encoded)
    {
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            // A stream over the caller's bytes: a copy of an Instagram photo would be a large-object allocation per photo.
            fixed (byte* start = encoded)
            {
                using var stream = new UnmanagedMemoryStream(start, encoded.Length);
                info = Image.Identify(Decoding, stream, out format);
            }
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException)
        {
            throw new ImageRejectedException($"the image header is unreadable ({e.Message})", e);
        }
        catch (Exception e) when (DecoderFault(e))
        {
            throw new ImageRejectedException($"the image header is unreadable: its decoder failed on it ({e.GetType().Name}: {e.Message})", e) { DecoderFailed = true };
        }

        return (info ?? throw new ImageRejectedException(UnknownFormat.Reason(encoded)), format);
    }

    /// <summary>A complete JPEG has its end-of-image marker (FF D9) at the end, give or take trailing padding.</summary>
    private static bool EndsLikeJpeg(ReadOnlySpan<byte> encoded)
    {
        var tail = encoded[Math.Max(0, encoded.Length - 4096)..];
        return tail.IndexOf([(byte)0xFF, (byte)0xD9]) >= 0;
    }

    /// <summary>The model's square input: the photo stretched to it, or fitted inside it and padded with its corner colour.</summary>
    private static byte[] Fit(Image<Rgb24> image, PreparationSettings settings)
    {
        var size = settings.Size;
        var pixels = new byte[size * size * 3];
        var target = settings.Resize == ResizeMode.Stretch ? new Rectangle(0, 0, size, size) : PadTarget(image.Width, image.Height, size);
        if (target.Width < size || target.Height < size)
        {
            var corner = image[0, 0];
            for (var i = 0; i < pixels.Length; i += 3)
            {
                (pixels[i], pixels[i + 1], pixels[i + 2]) = (corner.R, corner.G, corner.B);
            }
        }

        TriangleResize.Into(image, pixels, size, target);
        return pixels;
    }

    /// <summary>Where a padded photo lies in the square, rounded as ImageSharp's pad mode rounds it (models were trained on that).</summary>
    private static Rectangle PadTarget(int width, int height, int size)
    {
        var byHeight = size / (float)height;
        var byWidth = size / (float)width;
        if (byHeight < byWidth)
        {
            var scaledWidth = Math.Max(1, (int)MathF.Round(width * byHeight));
            return new Rectangle((int)MathF.Round((size - width * byHeight) / 2f), 0, scaledWidth, size);
        }

        var scaledHeight = Math.Max(1, (int)MathF.Round(height * byWidth));
        return new Rectangle(0, (int)MathF.Round((size - height * byWidth) / 2f), size, scaledHeight);
    }

    private static Configuration CreateConfiguration()
    {
        // A configuration of its own, not a clone of the default: clones share the default's decoders, and the ones set
        // below would change how every other ImageSharp caller in the process decodes.
        var configuration = new Configuration(
            new JpegConfigurationModule(), new PngConfigurationModule(), new GifConfigurationModule(), new BmpConfigurationModule(),
            new TgaConfigurationModule(), new TiffConfigurationModule(), new WebpConfigurationModule(), new PbmConfigurationModule())
        {
            // One core per photo: the pipeline parallelises across photos, not inside one.
            MaxDegreeOfParallelism = 1,
        };
        // A product photo is one still. ImageSharp decodes every frame of a GIF or a multi-page TIFF by default, and the
        // pixel limit is checked on the first: a 7.6 MB GIF of 200 frames at 2,000 px took 32 s and 5.4 GB to prepare.
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
        // ImageSharp inflates PNG text and colour-profile chunks whole, however large; PngExif reads the orientation instead.
        configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        return configuration;
    }
}
