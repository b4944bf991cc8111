namespace Vitrina.Benchmarks;

/// <summary>p50/p95/p99 of a set of samples.</summary>
public static class Percentiles
{
    public static (double P50, double P95, double P99) Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            return (0, 0, 0);
        }

        var sorted = samples.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return (At(0.50), At(0.95), At(0.99));
    }
}
