using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Vitrina.Tests.Support;
using Vitrina.Training.Images;

namespace Vitrina.Tests.Images;

public sealed class ImagePreparationTests
{
    private static readonly PreparationSettings Small = new(32, ResizeMode.Stretch);

    [Theory]
    [InlineData(DecoderChoice.Skia)]
    [InlineData(DecoderChoice.ImageSharp)]
    public void Prepares_rgb_bytes_of_the_model_size(DecoderChoice decoder)
    {
        using var image = TestImages.Garment(TestImages.Colours["Blue"], 0, size: 80);
        var prepared = ImagePreparation.Prepare(TestImages.Jpeg(image), Small, decoder);
        Assert.Equal(32, prepared.Width);
        Assert.Equal(32 * 32 * 3, prepared.Pixels.Length);
        // Centre pixel is the blue square, corner the light background.
        var centre = (16 * 32 + 16) * 3;
        Assert.True(prepared.Pixels[centre + 2] > 150 && prepared.Pixels[centre] < 80);
        Assert.True(prepared.Pixels[0] > 200);
    }

    [Theory]
    [InlineData(DecoderChoice.Skia, JpegColorType.Luminance)]
    [InlineData(DecoderChoice.ImageSharp, JpegColorType.Luminance)]
    [InlineData(DecoderChoice.Skia, JpegColorType.Rgb)]
    [InlineData(DecoderChoice.ImageSharp, JpegColorType.Rgb)]
    public void Prepares_greyscale_and_rgb_jpegs_as_three_channel_photos(DecoderChoice decoder, JpegColorType colourType)
    {
        // 400 px: large enough for Skia to decode at reduced scale. (ImageSharp 2.1 cannot write CMYK JPEGs to test with.)
        using var image = TestImages.Garment(TestImages.Colours["Blue"], 0, size: 400);
        using var encoded = new MemoryStream();
        image.SaveAsJpeg(encoded, new JpegEncoder { ColorType = colourType, Quality = 90 });
        Assert.Equal(colourType, Image.Identify(encoded.ToArray()).Metadata.GetJpegMetadata().ColorType);

        var prepared = ImagePreparation.Prepare(encoded.ToArray(), Small, decoder);

        Assert.Equal(32 * 32 * 3, prepared.Pixels.Length);
        var centre = (16 * 32 + 16) * 3;
        var (r, g, b) = (prepared.Pixels[centre], prepared.Pixels[centre + 1], prepared.Pixels[centre + 2]);
        if (colourType == JpegColorType.Luminance)
        {
            Assert.True(r == g && g == b, $"grey photo came out as ({r}, {g}, {b})");
        }
        else
        {
            Assert.True(b > 150 && r < 80, $"blue garment came out as ({r}, {g}, {b})");
        }

        Assert.True(prepared.Pixels[0] > 200); // the light background
    }

    [Theory]
    [InlineData(DecoderChoice.Skia, 40)]
    [InlineData(DecoderChoice.ImageSharp, 40)]
    [InlineData(DecoderChoice.Skia, 400)] // large enough for Skia to decode at 1/8 scale first
    [InlineData(DecoderChoice.ImageSharp, 400)]
    public void Applies_exif_orientation(DecoderChoice decoder, int width)
    {
        using var image = RedLeftBlueRight(width);
        var prepared = ImagePreparation.Prepare(TestImages.JpegWithOrientation(image, 6), Small, decoder);
        Assert.Equal(32, prepared.Width);
        AssertRedOnTopBlueBelow(prepared);
    }

    [Fact]
    public void Applies_the_exif_orientation_of_a_png()
    {
        using var image = RedLeftBlueRight(40);
        AssertRedOnTopBlueBelow(ImagePreparation.Prepare(TestImages.PngWithOrientation(image, 6), Small));
    }

    /// <summary>Left half red, right half blue: with orientation 6 ("rotate 90 clockwise") the left ends up on top.</summary>
    private static Image<Rgb24> RedLeftBlueRight(int width)
    {
        var image = new Image<Rgb24>(width, width / 2);
        for (var y = 0; y < width / 2; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = x < width / 2 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255);
            }
        }

        return image;
    }

    private static void AssertRedOnTopBlueBelow(PreparedImage prepared)
    {
        var top = (4 * 32 + 16) * 3;
        var bottom = (28 * 32 + 16) * 3;
        Assert.True(prepared.Pixels[top] > 200 && prepared.Pixels[top + 2] < 60, "top should be red");
        Assert.True(prepared.Pixels[bottom + 2] > 200 && prepared.Pixels[bottom] < 60, "bottom should be blue");
    }

    [Fact]
    public void A_png_whose_text_inflates_to_hundreds_of_megabytes_is_prepared_without_inflating_it()
    {
        using var image = TestImages.Garment(TestImages.Colours["Blue"], 0, size: 80);
        var png = TestImages.PngWithCompressedText(image, inflatedBytes: 256 * 1024 * 1024);
        Assert.InRange(png.Length, 1, 2 * 1024 * 1024);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var prepared = ImagePreparation.Prepare(png, Small);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Inflating the text took 24 s and gigabytes for 400 MB of it; the photo itself needs well under a megabyte.
        Assert.True(allocated < 16 * 1024 * 1024, $"preparing it allocated {allocated / (1024 * 1024)} MB");
        var centre = (16 * 32 + 16) * 3;
        Assert.True(prepared.Pixels[centre + 2] > 150 && prepared.Pixels[centre] < 80, "the photo's pixels did not come through");
    }

    [Fact]
    public void Both_decoders_give_nearly_the_same_pixels()
    {
        using var image = TestImages.Garment(TestImages.Colours["Pink"], 1, size: 300);
        var jpeg = TestImages.Jpeg(image);
        var skia = ImagePreparation.Prepare(jpeg, Small, DecoderChoice.Skia).Pixels;
        var imageSharp = ImagePreparation.Prepare(jpeg, Small, DecoderChoice.ImageSharp).Pixels;
        var diff = skia.Zip(imageSharp).Average(p => Math.Abs(p.First - p.Second));
        // Not identical (so the switch really picks another decoder), but within rounding of each other.
        Assert.InRange(diff, 0.001, 3.0);
    }

    [Theory]
    [InlineData(40, DecoderChoice.ImageSharp)] // decoded as the training photos were
    [InlineData(63, DecoderChoice.ImageSharp)] // just under twice the input: no shrink on load
    [InlineData(64, DecoderChoice.Skia)] // twice the input: libjpeg-turbo decodes it at half size
    [InlineData(400, DecoderChoice.Skia)]
    public void The_default_decodes_with_skia_only_photos_that_shrink_on_load(int size, DecoderChoice expected)
    {
        using var image = TestImages.Garment(TestImages.Colours["Pink"], 1, size: size);
        var jpeg = TestImages.Jpeg(image);

        var auto = ImagePreparation.Prepare(jpeg, Small, DecoderChoice.Auto).Pixels;

        Assert.Equal(ImagePreparation.Prepare(jpeg, Small, expected).Pixels, auto);
        var other = expected == DecoderChoice.Skia ? DecoderChoice.ImageSharp : DecoderChoice.Skia;
        Assert.NotEqual(ImagePreparation.Prepare(jpeg, Small, other).Pixels, auto);
    }

    [Theory]
    [InlineData(DecoderChoice.Skia)]
    [InlineData(DecoderChoice.ImageSharp)]
    public void Prepares_a_png_through_imagesharp_whatever_the_choice(DecoderChoice decoder)
    {
        using var image = TestImages.Garment(TestImages.Colours["Blue"], 0, size: 80);
        var prepared = ImagePreparation.Prepare(TestImages.Png(image), Small, decoder);
        Assert.Equal(32 * 32 * 3, prepared.Pixels.Length);
        var centre = (16 * 32 + 16) * 3;
        Assert.True(prepared.Pixels[centre + 2] > 150 && prepared.Pixels[centre] < 80);
    }

    [Fact]
    public void A_transparent_background_becomes_white_and_opaque_pixels_stay_as_they_are()
    {
        // A red garment cut out on a transparent background whose hidden colour is black, as image editors save them.
        using var cutOut = new Image<Rgba32>(64, 64, new Rgba32(0, 0, 0, 0));
        using var opaque = new Image<Rgb24>(64, 64, new Rgb24(0, 0, 0));
        for (var y = 16; y < 48; y++)
        {
            for (var x = 16; x < 48; x++)
            {
                cutOut[x, y] = new Rgba32(200, 30, 40, 255);
                opaque[x, y] = new Rgb24(200, 30, 40);
            }
        }

        var prepared = ImagePreparation.Prepare(Png(cutOut), Small);
        var reference = ImagePreparation.Prepare(Png(opaque), Small);

        Assert.Equal([255, 255, 255], prepared.Pixels[..3]); // the corner: white, not black
        var centre = (16 * 32 + 16) * 3;
        Assert.Equal(reference.Pixels[centre..(centre + 3)], prepared.Pixels[centre..(centre + 3)]);
        Assert.Equal([200, 30, 40], prepared.Pixels[centre..(centre + 3)]);
    }

    private static byte[] Png<TPixel>(Image<TPixel> image)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    [Fact]
    public void The_environment_switch_picks_the_decoder()
    {
        Assert.Equal(DecoderChoice.Auto, DecoderSwitch.Parse(null));
        Assert.Equal(DecoderChoice.Auto, DecoderSwitch.Parse("auto"));
        Assert.Equal(DecoderChoice.ImageSharp, DecoderSwitch.Parse("ImageSharp"));
        Assert.Equal(DecoderChoice.Skia, DecoderSwitch.Parse("skia"));
        Assert.Throws<ArgumentException>(() => DecoderSwitch.Parse("libjpeg"));
    }

    [Fact]
    public void Rejects_a_file_that_is_not_an_image()
    {
        var e = Assert.Throws<ImageRejectedException>(() => ImagePreparation.Prepare("hello, not a photo"u8.ToArray(), Small));
        Assert.Contains("not an image", e.Message);
    }

    [Theory]
    [InlineData(DecoderChoice.Skia)]
    [InlineData(DecoderChoice.ImageSharp)]
    public void Rejects_a_truncated_jpeg_with_a_reason(DecoderChoice decoder)
    {
        using var image = TestImages.Garment(TestImages.Colours["Pink"], 1, size: 200);
        var jpeg = TestImages.Jpeg(image);
        var e = Assert.Throws<ImageRejectedException>(() => ImagePreparation.Prepare(jpeg.AsSpan(0, jpeg.Length / 3), Small, decoder));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Rejects_a_30000_by_30000_png_before_decoding_it()
    {
        var bomb = TestImages.PngHeaderOnly(30_000, 30_000);
        var e = Assert.Throws<ImageRejectedException>(() => ImagePreparation.Prepare(bomb, Small));
        Assert.Contains("30000x30000", e.Message);
    }

    [Fact]
    public void Decodes_only_the_first_frame_of_an_animation()
    {
        // Each frame is within the pixel limit, which is checked on the first: decoding them all let a 7.6 MB GIF of
        // 200 frames at 2,000 px take 5.4 GB.
        using var animation = new Image<Rgb24>(64, 64, TestImages.Colours["Pink"]);
        for (var i = 0; i < 3; i++)
        {
            using var later = new Image<Rgb24>(64, 64, TestImages.Colours["Blue"]);
            animation.Frames.AddFrame(later.Frames.RootFrame);
        }

        var gif = TestImages.Gif(animation);

        using (var decoded = ImagePreparation.Decode(gif, ImagePreparation.Inspect(gif, Small)))
        {
            Assert.Single(decoded.Frames);
        }

        var centre = (16 * 32 + 16) * 3;
        var pixels = ImagePreparation.Prepare(gif, Small).Pixels;
        Assert.True(pixels[centre] > 200 && pixels[centre + 2] > 150 && pixels[centre + 1] < 200, "the photo is not its first frame");
        using var everyFrame = Image.Load<Rgb24>(gif);
        Assert.Equal(4, everyFrame.Frames.Count); // ImageSharp's own default is left as it was
    }

    [Fact]
    public void Decodes_only_the_first_page_of_a_multi_page_tiff()
    {
        var tiff = TestImages.MultiPageTiff(16, TestImages.Colours["Pink"], TestImages.Colours["Blue"], TestImages.Colours["Blue"]);

        using (var decoded = ImagePreparation.Decode(tiff, ImagePreparation.Inspect(tiff, Small)))
        {
            Assert.Single(decoded.Frames);
        }

        var pink = TestImages.Colours["Pink"];
        Assert.Equal([pink.R, pink.G, pink.B], ImagePreparation.Prepare(tiff, Small).Pixels[..3]);
        using var everyPage = Image.Load<Rgb24>(tiff);
        Assert.Equal(3, everyPage.Frames.Count); // the file does hold three pages
    }

    [Fact]
    public void Decodes_the_first_frame_of_an_animated_webp_which_imagesharp_refuses()
    {
        using var pink = new Image<Rgb24>(64, 64, TestImages.Colours["Pink"]);
        using var blue = new Image<Rgb24>(64, 64, TestImages.Colours["Blue"]);
        var webp = TestImages.AnimatedWebp(pink, blue);
        Assert.Throws<NotSupportedException>(() => Image.Identify(webp)); // the reason for the path of its own

        var plan = ImagePreparation.Inspect(webp, Small);
        var pixels = ImagePreparation.Prepare(webp, plan).Pixels;

        Assert.Equal((64, 64, 64L * 64 * 7), (plan.Width, plan.Height, plan.MemoryBytes));
        var pinkPixel = TestImages.Colours["Pink"];
        var centre = (16 * 32 + 16) * 3;
        Assert.Equal([pinkPixel.R, pinkPixel.G, pinkPixel.B], pixels[centre..(centre + 3)]);
    }

    [Fact]
    public void Lays_an_animated_webps_transparent_pixels_on_white()
    {
        // Transparent black on the left: dropping alpha would make it a black photo's half.
        using var frame = new Image<Rgba32>(64, 64, new Rgba32(0, 0, 0, 0));
        frame.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                rows.GetRowSpan(y)[32..].Fill(new Rgba32(0, 0, 255));
            }
        });

        var pixels = ImagePreparation.Prepare(TestImages.AnimatedWebp(frame), Small).Pixels;

        var left = (16 * 32 + 4) * 3;
        var right = (16 * 32 + 28) * 3;
        Assert.Equal([255, 255, 255], pixels[left..(left + 3)]);
        Assert.Equal([0, 0, 255], pixels[right..(right + 3)]);
    }

    [Fact]
    public void Refuses_an_animated_webp_above_the_pixel_limit_from_its_header()
    {
        using var frame = new Image<Rgb24>(8, 8);
        var webp = TestImages.AnimatedWebp(frame);
        // canvas 8x8 rewritten to 10,000 x 10,000 (stored less one, 24-bit little-endian)
        byte[] side = [0x0F, 0x27, 0x00];
        side.CopyTo(webp, 24);
        side.CopyTo(webp, 27);

        var e = Assert.Throws<ImageRejectedException>(() => ImagePreparation.Inspect(webp, Small));
        Assert.Contains("10000x10000", e.Message);
    }

    [Fact]
    public void Rejects_a_strip_too_long_for_a_photo_before_decoding_it()
    {
        using var strip = new Image<Rgb24>(25_000, 2);
        var e = Assert.Throws<ImageRejectedException>(() => ImagePreparation.Prepare(TestImages.Png(strip), Small));
        Assert.Contains("25000x2", e.Message);
        Assert.Contains("20000 px", e.Message);
    }

    [Theory]
    [InlineData("heic", "HEIC/HEIF photo")]
    [InlineData("mif1", "HEIC/HEIF photo")]
    [InlineData("avif", "AVIF image")]
    [InlineData("mp42", "video")]
    public void Names_the_iso_media_files_it_does_not_decode(string brand, string named)
    {
        // What every such file starts with: a 24-byte "ftyp" box, its major brand, a version and one compatible brand.
        byte[] file = [0, 0, 0, 24, .. "ftyp"u8, .. System.Text.Encoding.ASCII.GetBytes(brand), 0, 0, 0, 0, .. "mif1"u8, .. new byte[64]];

        var e = Assert.Throws<ImageRejectedException>(() => ImagePreparation.Prepare(file, Small));

        Assert.Contains(named, e.Message);
        Assert.Contains("JPEG, PNG", e.Message);
    }

    [Fact]
    public void Rejects_an_empty_file()
    {
        Assert.Throws<ImageRejectedException>(() => ImagePreparation.Prepare([], Small));
    }
}
