using TorchSharp;
using static TorchSharp.torch;

namespace Vitrina.Training.Models;

/// <summary>
/// Colour evidence from the garment rather than the whole frame: the background colour is estimated from the photo's
/// border, pixels far from it (and near the centre) count as garment, and their colours are summed into a joint
/// 8x8x8 RGB histogram (square-rooted) plus their weighted mean and spread. No parameters: identical in training and
/// inference by construction.
/// </summary>
public static class GarmentColourFeatures
{
    public const int Bins = 8;
    public const int Count = Bins * Bins * Bins + 6;
    private const int Grid = 56;
    private const int Ring = 3;

    public static Tensor Compute(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var n = pixels.shape[0];
        var rgb = pixels.permute(0, 3, 1, 2).to(ScalarType.Float32).div(255f);
        var x = nn.functional.adaptive_avg_pool2d(rgb, [Grid, Grid]);

        var ring = cat([
            x[.., .., ..Ring, ..].flatten(2), x[.., .., ^Ring.., ..].flatten(2),
            x[.., .., Ring..^Ring, ..Ring].flatten(2), x[.., .., Ring..^Ring, ^Ring..].flatten(2)], dim: 2);
        var background = ring.sort(2).Values[.., .., ring.shape[2] / 2].reshape(n, 3, 1, 1);
        var distance = (x - background).pow(2).sum(1).sqrt();
        var garment = sigmoid((distance - 0.12f) * 30f);

        var coordinates = linspace(-1, 1, Grid, device: pixels.device);
        var centre = exp(-(coordinates.pow(2).unsqueeze(0) + coordinates.pow(2).unsqueeze(1)) / (2 * 0.55f * 0.55f));
        var weight = (garment * centre + 0.02f * centre).flatten(1);
        weight = weight / weight.sum(1, keepdim: true);

        var levels = (x * Bins).floor().clamp(0, Bins - 1).to(ScalarType.Int64);
        var bin = (levels[.., 0] * (Bins * Bins) + levels[.., 1] * Bins + levels[.., 2]).flatten(1);
        var histogram = zeros(n, Bins * Bins * Bins, device: pixels.device).scatter_add_(1, bin, weight).sqrt();

        var flat = x.flatten(2);
        var w = weight.unsqueeze(1);
        var mean = (flat * w).sum(2);
        var spread = ((flat - mean.unsqueeze(2)).pow(2) * w).sum(2).sqrt();
        return cat([histogram, mean, spread], dim: 1).MoveToOuterDisposeScope();
    }
}
