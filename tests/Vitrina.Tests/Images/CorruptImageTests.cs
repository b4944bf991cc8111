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
using Vitrina.Tests.Support;
using Vitrina.Training.Images;

namespace Vitrina.Tests.Images;

/// <summary>
/// Photos with a few bytes damaged, in every format the preparation takes. ImageSharp 2.1 wraps only some of its
/// decoders' failures; a damaged BMP, TGA, TIFF, WebP or JPEG also threw NullReference, IndexOutOfRange, Argument and
/// InvalidOperation exceptions, which reached the account's poll as a failure of the whole post, retried for ever.
/// </summary>
public sealed class CorruptImageTests
{
    public static TheoryData<string> Formats() => ["jpg", "png", "gif", "bmp", "bmp8", "tga", "tif", "tif-lzw", "webp", "webp-lossless", "pbm"];

    private static IImageEncoder Encoder(string format) => format switch
    {
        "jpg" => new JpegEncoder(),
        "png" => new PngEncoder(),
        "gif" => new GifEncoder(),
        "bmp" => new BmpEncoder(),
        "bmp8" => new BmpEncoder { BitsPerPixel = BmpBitsPerPixel.Pixel8 },
        "tga" => new TgaEncoder(),
        "tif" => new TiffEncoder(),
        "tif-lzw" => new TiffEncoder { Compression = SixLabors.ImageSharp.Formats.Tiff.Constants.TiffCompression.Lzw },
        "webp" => new WebpEncoder(),
        "webp-lossless" => new WebpEncoder { FileFormat = WebpFileFormatType.Lossless },
        _ => new PbmEncoder(),
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void A_damaged_photo_is_prepared_or_refused_with_a_reason_never_failed_otherwise(string format)
    {
        using var photo = TestImages.Garment(TestImages.Colours["Blue"], shape: 1, size: 96, seed: 3);
        using var encoded = new MemoryStream();
        photo.Save(encoded, Encoder(format));
        var clean = encoded.ToArray();
        var random = new Random(format.Sum(c => c)); // fixed per format: the same cases every run
        var refused = 0;
        for (var i = 0; i < 300; i++)
        {
            var damaged = (byte[])clean.Clone();
            for (var flips = 1 + random.Next(12); flips > 0; flips--)
            {
                var at = random.Next(2) == 0 ? random.Next(Math.Min(64, damaged.Length)) : random.Next(damaged.Length); // headers too
                damaged[at] = random.Next(3) switch { 0 => (byte)random.Next(256), 1 => (byte)(damaged[at] ^ (1 << random.Next(8))), _ => 0xFF };
            }

            try
            {
                var prepared = ImagePreparation.Prepare(damaged, PreparationSettings.ResNet);
                Assert.Equal(160 * 160 * 3, prepared.Pixels.Length);
            }
            catch (ImageRejectedException e)
            {
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
                // A decoder that threw is marked, with what it threw: a silo logs those stacks (a bug fails every photo).
                Assert.Equal(e.Message.Contains("its decoder failed", StringComparison.Ordinal), e.DecoderFailed);
                Assert.True(!e.DecoderFailed || e.InnerException is not null);
                refused++;
            }
        }

        Assert.True(refused > 0, $"no damaged {format} was refused: the damage did not reach the decoder");
    }
}
