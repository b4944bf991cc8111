using TorchSharp;
using static TorchSharp.torch;

namespace Vitrina.Training.Training;

/// <summary>
/// Turns white-background catalogue photos into something closer to a shop's own snapshot while keeping the garment's
/// colour: the garment is cut out (pixels far from white), shrunk and moved in the frame, flipped, and laid on a new
/// background (a blurred amateur photo when given, else a smooth random colour field); lighting changes are mild so
/// that Gray stays Gray and Beige stays Beige.
/// </summary>
public sealed class GarmentAugmentation(IReadOnlyList<Tensor>? backgrounds = null)
{
    public Tensor Apply(Tensor pixels, Generator random)
    {
        using var scope = NewDisposeScope();
        var n = pixels.shape[0];
        var size = pixels.shape[1];
        var x = pixels.permute(0, 3, 1, 2).to(ScalarType.Float32).div(255f);

        // Catalogue photos sit on near-white: the garment is whatever is clearly darker or more saturated than that.
        var garment = sigmoid(((1 - x.min(1, keepdim: true).values) - 0.08f) * 40f);

        var scale = 1 + rand(n, generator: random) * 0.6; // garment fills 1/1.6 .. all of the frame
        var flip = (rand(n, generator: random) < 0.5).to(ScalarType.Float32) * -2 + 1;
        var shiftX = (rand(n, generator: random) * 2 - 1) * (scale - 1);
        var shiftY = (rand(n, generator: random) * 2 - 1) * (scale - 1);
        var zeros = torch.zeros(n);
        var theta = stack([stack([scale * flip, zeros, shiftX], 1), stack([zeros, scale, shiftY], 1)], 1).to(ScalarType.Float32);
        var grid = nn.functional.affine_grid(theta, [n, 4, size, size], align_corners: false);
        var moved = nn.functional.grid_sample(cat([x, garment], 1), grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
        var foreground = moved[.., ..3];
        var mask = moved[.., 3..];

        var background = Backgrounds(n, size, random);
        var light = 0.85f + rand(n, 1, 1, 1, generator: random) * 0.3f;
        var tint = 1 + (rand(n, 3, 1, 1, generator: random) * 2 - 1) * 0.04f;
        var composed = (foreground * mask + background * (1 - mask)) * light * tint;
        return composed.mul(255f).round().clamp(0, 255).to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().MoveToOuterDisposeScope();
    }

    private Tensor Backgrounds(long n, long size, Generator random)
    {
        if (backgrounds is { Count: > 0 })
        {
            var picks = randint(backgrounds.Count, n, generator: random).data<long>().ToArray();
            var chosen = stack(picks.Select(i => backgrounds[(int)i]).ToArray()).to(ScalarType.Float32).div(255f).permute(0, 3, 1, 2);
            return nn.functional.interpolate(chosen, [size, size], mode: InterpolationMode.Bilinear, align_corners: false);
        }

        var corners = rand(n, 3, 2, 2, generator: random) * 0.8f + 0.1f;
        var field = nn.functional.interpolate(corners, [size, size], mode: InterpolationMode.Bilinear, align_corners: true);
        return field + (rand(n, 1, size, size, generator: random) - 0.5f) * 0.06f;
    }

    /// <summary>An augmentation whose backgrounds are the photos in <paramref name="folder"/>; null without a folder.</summary>
    public static GarmentAugmentation? ForFolder(string? folder)
    {
        if (folder is null)
        {
            return null;
        }

        var rows = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(Data.LabelledDataset.IsImageFile).Order()
            .Select(f => new Data.LabelledImage(f, null, null, "background", 0)).ToList();
        return new GarmentAugmentation(LoadBackgrounds(PreparedSet.Prepare(rows, new Images.PreparationSettings(64, Images.ResizeMode.Stretch)).Images));
    }

    /// <summary>Loads amateur photos as backgrounds, blurred (8x8 then back up) so no garment shape survives.</summary>
    public static IReadOnlyList<Tensor> LoadBackgrounds(IEnumerable<Images.PreparedImage> photos)
    {
        return photos.Select(p =>
        {
            using var scope = NewDisposeScope();
            var image = tensor(p.Pixels, [1, p.Height, p.Width, 3], ScalarType.Byte).permute(0, 3, 1, 2).to(ScalarType.Float32);
            var blurred = nn.functional.interpolate(
                nn.functional.adaptive_avg_pool2d(image, [8, 8]), [32, 32], mode: InterpolationMode.Bilinear, align_corners: false);
            return blurred.round().to(ScalarType.Byte).permute(0, 2, 3, 1)[0].contiguous().MoveToOuterDisposeScope();
        }).ToList();
    }
}
