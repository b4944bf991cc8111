namespace Vitrina.Training.Images;

/// <summary>
/// Where each output pixel of one image axis reads its source pixels, and with which weights, for the triangle filter.
/// Placement as in ImageSharp 2.1's resize (output pixel i is centred on source position (i + 0.5) * ratio - 0.5; when
/// shrinking, the filter is widened by the ratio), so a model trained on ImageSharp's resizes sees the same pixels.
/// Every output pixel reads <see cref="Taps"/> consecutive source pixels from <see cref="Start"/>: kernels cut short
/// at an edge are moved inwards with zero weights, so the filter loops need no bounds checks.
/// </summary>
internal sealed class TriangleKernels
{
    private TriangleKernels(int[] start, float[] weights, int taps) => (Start, Weights, Taps) = (start, weights, taps);

    /// <summary>First source pixel of each output pixel.</summary>
    public int[] Start { get; }

    /// <summary>Output pixel i's weights at [i * Taps, (i + 1) * Taps), summing to 1.</summary>
    public float[] Weights { get; }

    public int Taps { get; }

    public static TriangleKernels For(int sourceLength, int outputLength)
    {
        var ratio = (double)sourceLength / outputLength;
        var scale = Math.Max(ratio, 1);
        var radius = (int)Math.Ceiling(scale - Tolerance);
        var taps = Math.Min(2 * radius + 1, sourceLength);
        var start = new int[outputLength];
        var weights = new float[outputLength * taps];
        var values = new double[2 * radius + 1];
        for (var i = 0; i < outputLength; i++)
        {
            var centre = (i + 0.5) * ratio - 0.5;
            var left = Math.Max(0, (int)Math.Ceiling(centre - radius - Tolerance));
            var right = Math.Min(sourceLength - 1, (int)Math.Floor(centre + radius + Tolerance));
            var sum = 0.0;
            for (var j = left; j <= right; j++)
            {
                values[j - left] = Triangle((float)((j - centre) / scale));
                sum += values[j - left];
            }

            start[i] = Math.Min(left, sourceLength - taps);
            var offset = i * taps + (left - start[i]);
            for (var j = left; j <= right; j++)
            {
                weights[offset + j - left] = (float)(sum > 0 ? values[j - left] / sum : values[j - left]);
            }
        }

        return new TriangleKernels(start, weights, taps);
    }

    // ImageSharp rounds kernel bounds with this tolerance, so a centre that lands a rounding error off a whole pixel
    // does not gain or lose a (zero-weight) tap.
    private const double Tolerance = 1e-8;

    private static double Triangle(float x)
    {
        x = Math.Abs(x);
        return x < 1 ? 1 - x : 0;
    }
}
