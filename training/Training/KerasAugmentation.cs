using TorchSharp;
using static TorchSharp.torch;

namespace Vitrina.Training.Training;

/// <summary>
/// The paper's ImageDataGenerator for Model 2 (rotation 40, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip, 'nearest'
/// fill), as one random affine warp per photo on a uint8 [N, H, W, 3] batch.
/// </summary>
public static class KerasAugmentation
{
    private static Tensor Matrix(Tensor a, Tensor b, Tensor c, Tensor d) =>
        stack([stack([a, b], 1), stack([c, d], 1)], 1);

    public static Tensor Apply(Tensor pixels, Generator random)
    {
        using var scope = NewDisposeScope();
        var n = pixels.shape[0];
        var x = pixels.permute(0, 3, 1, 2).to(ScalarType.Float32);
        var angle = (rand(n, generator: random) * 2 - 1) * (40.0 * Math.PI / 180.0);
        // Keras reads shear_range in degrees (its affine transform converts them to radians): 0.2 is a slight shear.
        var shear = (rand(n, generator: random) * 2 - 1) * (0.2 * Math.PI / 180.0);
        var zoomX = 1 + (rand(n, generator: random) * 2 - 1) * 0.2;
        var zoomY = 1 + (rand(n, generator: random) * 2 - 1) * 0.2;
        var shiftX = (rand(n, generator: random) * 2 - 1) * 0.4; // 0.2 of the width, in [-1, 1] grid units
        var shiftY = (rand(n, generator: random) * 2 - 1) * 0.4;
        var flip = (rand(n, generator: random) < 0.5).to(ScalarType.Float32) * -2 + 1;

        var zeros = torch.zeros(n);
        var ones = torch.ones(n);
        var rotation = Matrix(angle.cos(), -angle.sin(), angle.sin(), angle.cos());
        var shearing = Matrix(ones, shear.tan(), zeros, ones);
        var scaling = Matrix(zoomX * flip, zeros, zeros, zoomY);
        var linear = rotation.bmm(shearing).bmm(scaling);
        var theta = cat([linear, stack([shiftX, shiftY], 1).unsqueeze(2)], 2).to(ScalarType.Float32);
        var grid = nn.functional.affine_grid(theta, [n, 3, pixels.shape[1], pixels.shape[2]], align_corners: false);
        var warped = nn.functional.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        return warped.round().clamp(0, 255).to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().MoveToOuterDisposeScope();
    }
}
