using TorchSharp;
using Vitrina.Tests.Support;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Training;
using static TorchSharp.torch;

namespace Vitrina.Tests.Training;

public sealed class AugmentationTests
{
    private static Tensor Batch(string colour, int size)
    {
        var images = Enumerable.Range(0, 8).Select(i =>
        {
            using var image = TestImages.Garment(TestImages.Colours[colour], i % 2, size: size, seed: i);
            return ImagePreparation.Prepare(TestImages.Png(image), new PreparationSettings(size, ResizeMode.Stretch));
        }).ToList();
        return PreparedBatch.ToTensor(images, CPU);
    }

    [Fact]
    public void Keras_augmentation_keeps_shape_and_dtype_and_changes_pixels()
    {
        using var batch = Batch("Blue", 64);
        using var augmented = KerasAugmentation.Apply(batch, new Generator(3));
        Assert.Equal(batch.shape, augmented.shape);
        Assert.Equal(ScalarType.Byte, augmented.dtype);
        Assert.False(augmented.eq(batch).all().item<bool>());
    }

    [Fact]
    public void Garment_augmentation_keeps_the_garments_colour()
    {
        using var batch = Batch("Blue", 96);
        using var augmented = new GarmentAugmentation().Apply(batch, new Generator(5));
        Assert.Equal(batch.shape, augmented.shape);
        // The most saturated-blue pixels of each photo still look like the garment's blue (30, 60, 200) after the
        // garment has been moved onto a new background under a new light.
        var pixels = augmented.to(ScalarType.Float32);
        var blueness = pixels[.., .., .., 2] - pixels[.., .., .., 0];
        for (var i = 0; i < 8; i++)
        {
            var mask = blueness[i] > 100;
            Assert.True(mask.sum().item<long>() > 100, $"photo {i} lost its blue garment");
            var b = pixels[i][.., .., 2].masked_select(mask).mean().item<float>();
            var r = pixels[i][.., .., 0].masked_select(mask).mean().item<float>();
            Assert.InRange(b, 150, 255);
            Assert.InRange(r, 0, 70);
        }
    }
}
