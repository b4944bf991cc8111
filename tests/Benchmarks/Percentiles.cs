namespace Vitrina.Benchmarks;

/// <summary>p50/p95/p99 of a set of samples (nearest rank); NaN, printed as such, when there are none.</summary>
public static class Percentiles
{
    public static (double P50, double P95, double P99) Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return (double.NaN, double.NaN, double.NaN); // not zeros, which read as a measurement
        }

        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return (At(0.50), At(0.95), At(0.99));
    }
}
