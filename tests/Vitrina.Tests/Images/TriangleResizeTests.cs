using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Vitrina.Tests.Support;
using Vitrina.Training.Images;
using ResizeMode = Vitrina.Training.Images.ResizeMode;

namespace Vitrina.Tests.Images;

/// <summary>
/// Preparation resizes with its own triangle filter on bytes; every shipped model was trained on ImageSharp's triangle
/// resize. These photos (random noise, the hardest case for a resampler, saved losslessly) must come out as ImageSharp
/// resizes them, to within one level of 255 on a few pixels.
/// </summary>
public sealed class TriangleResizeTests
{
    [Theory]
    [InlineData(300, 217, 160, ResizeMode.Stretch)] // shrink, a different ratio on each axis
    [InlineData(1080, 1350, 160, ResizeMode.Stretch)] // an Instagram portrait
    [InlineData(60, 80, 160, ResizeMode.Stretch)] // enlarge, like most Myntra photos
    [InlineData(1000, 37, 32, ResizeMode.Stretch)] // shrink one axis, enlarge the other
    [InlineData(3, 2, 32, ResizeMode.Stretch)] // fewer source pixels than the filter's taps
    [InlineData(300, 217, 97, ResizeMode.Pad)]
    [InlineData(217, 300, 150, ResizeMode.Pad)]
    public void Resizes_as_imagesharp_does(int width, int height, int size, ResizeMode mode)
    {
        using var photo = Noise(width, height);
        var settings = new PreparationSettings(size, mode);

        var ours = ImagePreparation.Prepare(TestImages.Png(photo), settings).Pixels;
        var reference = ImageSharpResize(photo, settings);

        var differences = ours.Zip(reference, (a, b) => Math.Abs(a - b)).ToArray();
        Assert.True(differences.Max() <= 1, $"a pixel differs by {differences.Max()} levels");
        Assert.True(differences.Count(d => d > 0) < ours.Length / 100, $"{differences.Count(d => d > 0)} of {ours.Length} bytes differ");
    }

    [Fact]
    public void Leaves_a_photo_of_the_model_size_unchanged()
    {
        using var photo = Noise(32, 32);
        var expected = new byte[32 * 32 * 3];
        photo.CopyPixelDataTo(expected);

        var prepared = ImagePreparation.Prepare(TestImages.Png(photo), new PreparationSettings(32, ResizeMode.Stretch));

        Assert.Equal(expected, prepared.Pixels);
    }

    [Fact]
    public void Pads_with_the_corner_colour()
    {
        using var photo = new Image<Rgb24>(40, 20, new Rgb24(200, 10, 30));
        photo[0, 0] = new Rgb24(10, 200, 30);

        var prepared = ImagePreparation.Prepare(TestImages.Png(photo), new PreparationSettings(32, ResizeMode.Pad)).Pixels;

        // 40x20 fits as 32x16 in rows 8-23; the rows above and below are padding, in the photo's corner colour.
        byte[] Pixel(int x, int y) => prepared[((y * 32 + x) * 3)..((y * 32 + x) * 3 + 3)];
        Assert.Equal(new byte[] { 10, 200, 30 }, Pixel(0, 0));
        Assert.Equal(new byte[] { 10, 200, 30 }, Pixel(31, 31));
        Assert.Equal(new byte[] { 200, 10, 30 }, Pixel(16, 16));
    }

    private static Image<Rgb24> Noise(int width, int height)
    {
        var random = new Random(width * 7919 + height);
        var photo = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                photo[x, y] = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
            }
        }

        return photo;
    }

    private static byte[] ImageSharpResize(Image<Rgb24> photo, PreparationSettings settings)
    {
        var pad = settings.Resize == ResizeMode.Pad;
        using var resized = photo.Clone(x => x.Resize(new ResizeOptions
        {
            Size = new Size(settings.Size, settings.Size),
            Mode = pad ? SixLabors.ImageSharp.Processing.ResizeMode.Pad : SixLabors.ImageSharp.Processing.ResizeMode.Stretch,
            Sampler = KnownResamplers.Triangle,
            PadColor = pad ? photo[0, 0] : Color.Black,
        }));
        var pixels = new byte[settings.Size * settings.Size * 3];
        resized.CopyPixelDataTo(pixels);
        return pixels;
    }
}
