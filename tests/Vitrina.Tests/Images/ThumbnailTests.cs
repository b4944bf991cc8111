using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Vitrina.Tests.Support;
using Vitrina.Training.Images;

namespace Vitrina.Tests.Images;

public sealed class ThumbnailTests
{
    [Theory]
    [InlineData(1080, 1350, 169)] // an Instagram portrait: libjpeg-turbo shrinks it on load to 1/8 (135x169) for the 160 px input
    [InlineData(300, 200, 256)] // small enough for ImageSharp to decode whole
    public void The_model_input_is_the_plain_preparations_and_the_thumbnail_keeps_the_photos_shape(int width, int height, int longSide)
    {
        using var photo = TestImages.Garment(TestImages.Colours["Pink"], 1, size: Math.Max(width, height));
        photo.Mutate(x => x.Crop(width, height));
        var jpeg = TestImages.Jpeg(photo);

        var both = ImagePreparation.PrepareWithThumbnail(jpeg, PreparationSettings.ResNet, 256);

        Assert.Equal(ImagePreparation.Prepare(jpeg, PreparationSettings.ResNet).Pixels, both.Input.Pixels);
        using var thumbnail = Image.Load<Rgb24>(both.Thumbnail);
        Assert.Equal([0xFF, 0xD8], both.Thumbnail[..2]);
        Assert.Equal(longSide, Math.Max(thumbnail.Width, thumbnail.Height));
        Assert.Equal(width / (double)height, thumbnail.Width / (double)thumbnail.Height, 0.02);
        // The garment's pink survives at the centre.
        var centre = thumbnail[thumbnail.Width / 2, thumbnail.Height / 2];
        Assert.True(centre.R > 200 && centre.G < 170, $"centre {centre}");
    }

    [Fact]
    public void A_photo_smaller_than_the_thumbnail_is_not_enlarged()
    {
        using var photo = TestImages.Garment(TestImages.Colours["Blue"], 0, size: 80);
        photo.Mutate(x => x.Crop(60, 80));

        var both = ImagePreparation.PrepareWithThumbnail(TestImages.Png(photo), PreparationSettings.ResNet, 256);

        using var thumbnail = Image.Load<Rgb24>(both.Thumbnail);
        Assert.Equal((60, 80), (thumbnail.Width, thumbnail.Height));
    }

    [Fact]
    public void Leaves_the_photos_metadata_behind_and_shows_it_upright()
    {
        // Wide, left half red, with where it was taken; orientation 6: rotate 90 clockwise to view, so it stands tall.
        using var photo = new Image<Rgb24>(400, 200);
        photo.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++)
                {
                    row[x] = x < 200 ? new Rgb24(255, 0, 0) : new Rgb24(0, 0, 255);
                }
            }
        });
        photo.Metadata.ExifProfile = new ExifProfile();
        photo.Metadata.ExifProfile.SetValue(ExifTag.GPSLatitudeRef, "N");
        photo.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);

        var both = ImagePreparation.PrepareWithThumbnail(TestImages.Jpeg(photo), PreparationSettings.ResNet, 128);

        using var thumbnail = Image.Load<Rgb24>(both.Thumbnail);
        Assert.Null(thumbnail.Metadata.ExifProfile);
        Assert.Equal((64, 128), (thumbnail.Width, thumbnail.Height));
        Assert.True(thumbnail[32, 10].R > 200, "the red half should be on top");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(4096)]
    public void Refuses_a_side_outside_its_range(int side)
    {
        using var photo = TestImages.Garment(TestImages.Colours["Blue"], 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => ImagePreparation.PrepareWithThumbnail(TestImages.Jpeg(photo), PreparationSettings.ResNet, side));
    }

    [Fact]
    public void A_corrupt_photo_is_rejected_as_by_the_plain_preparation()
    {
        var e = Assert.Throws<ImageRejectedException>(() => ImagePreparation.PrepareWithThumbnail("not a photo"u8.ToArray(), PreparationSettings.ResNet, 256));
        Assert.Contains("not an image", e.Message);
    }
}
