using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Vitrina.Tests.Support;
using Vitrina.Training.Images;

namespace Vitrina.Tests.Images;

public sealed class DecodePlanTests
{
    [Fact]
    public void A_png_is_budgeted_its_decode_with_alpha_its_rgb_copy_and_a_copy_to_turn_it_upright()
    {
        using var photo = new Image<Rgb24>(500, 400);

        Assert.Equal(500L * 400 * (4 + 3), ImagePreparation.Inspect(TestImages.Png(photo), PreparationSettings.ResNet).MemoryBytes);
        Assert.Equal(500L * 400 * (4 + 4 + 3), ImagePreparation.Inspect(TestImages.PngWithOrientation(photo, 6), PreparationSettings.ResNet).MemoryBytes);
    }

    [Fact]
    public void A_jpeg_shrunk_on_load_is_budgeted_at_its_reduced_scale()
    {
        using var photo = new Image<Rgb24>(1080, 1350);
        var jpeg = TestImages.Jpeg(photo);

        var shrunk = ImagePreparation.Inspect(jpeg, PreparationSettings.ResNet, DecoderChoice.Auto);
        var whole = ImagePreparation.Inspect(jpeg, PreparationSettings.ResNet, DecoderChoice.ImageSharp);

        // For 160 px, Skia decodes at 1/8: 135x169 pixels, as RGBA and then RGB. ImageSharp decodes all of it, as RGB.
        // Skia's budget assumes a copy to turn the photo upright rather than read the EXIF.
        Assert.Equal(DecodePath.SkiaJpeg, shrunk.Path);
        Assert.Equal(135L * 169 * (4 + 3 + 3), shrunk.MemoryBytes);
        Assert.Equal(1080L * 1350 * 3, whole.MemoryBytes);
    }

    [Theory]
    [InlineData(JpegColorType.YCbCrRatio444, 3 * 125 * 100)]
    [InlineData(JpegColorType.YCbCrRatio420, 125 * 100 + 2 * 63 * 50)] // chroma at half the width and height
    public void A_progressive_jpeg_is_budgeted_every_coefficient_of_the_photo(JpegColorType sampling, int blocks)
    {
        using var photo = new Image<Rgb24>(1000, 800);
        using var stream = new MemoryStream();
        photo.SaveAsJpeg(stream, new JpegEncoder { ColorType = sampling });
        var baseline = stream.ToArray();
        // ImageSharp 2.1 writes baseline JPEGs only. The plan reads the frame header's marker, and nothing here decodes
        // pixels, so turning SOF0 into SOF2 (progressive) is enough.
        var progressive = baseline.ToArray();
        progressive[progressive.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]) + 1] = 0xC2;

        var extra = ImagePreparation.Inspect(progressive, PreparationSettings.ResNet).MemoryBytes
            - ImagePreparation.Inspect(baseline, PreparationSettings.ResNet).MemoryBytes;

        Assert.Equal(blocks * 64L * sizeof(short), extra);
    }

    [Fact]
    public void A_gif_is_budgeted_from_its_screen_size_as_imagesharp_reads_it()
    {
        using var photo = new Image<Rgb24>(300, 200);
        var gif = TestImages.Gif(photo);

        var plan = ImagePreparation.Inspect(gif, PreparationSettings.ResNet);

        var identified = Image.Identify(gif);
        Assert.Equal((identified.Width, identified.Height), (plan.Width, plan.Height));
        Assert.Equal(300L * 200 * (4 + 3), plan.MemoryBytes);
    }

    [Fact]
    public void A_gif_whose_screen_is_above_the_pixel_limit_is_refused_from_its_header()
    {
        using var photo = new Image<Rgb24>(8, 8);
        var gif = TestImages.Gif(photo);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(6), 65_000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(8), 1_000);

        var e = Assert.Throws<ImageRejectedException>(() => ImagePreparation.Inspect(gif, PreparationSettings.ResNet));
        Assert.Contains("65000x1000", e.Message);
    }

    [Fact]
    public void A_photo_that_fails_a_check_is_refused_before_any_plan()
    {
        var e = Assert.Throws<ImageRejectedException>(() => ImagePreparation.Inspect(TestImages.PngHeaderOnly(30_000, 30_000), PreparationSettings.ResNet));
        Assert.Contains("megapixel", e.Message);
    }

    [Fact]
    public void The_silo_can_say_at_start_that_large_jpegs_decode_with_libjpeg_turbo_here()
    {
        // What a silo logs at start; a missing native library would make it a warning instead (degraded).
        var described = ImagePreparation.DescribeJpegDecoding(out var degraded);
        Assert.False(degraded, described);
        Assert.StartsWith("libjpeg-turbo", described);
    }
}
