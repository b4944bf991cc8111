namespace Vitrina.Grains.Classification;

/// <summary>
/// Whether this CPU computes bfloat16 natively (AVX-512 BF16 or AMX), where libtorch's oneDNN convolutions in bfloat16
/// run at about twice float32's rate; elsewhere they are emulated, and slower than float32.
/// </summary>
public static class CpuBFloat16
{
    private static readonly Lazy<bool> Flags = new(() =>
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo")
                .Where(line => line.StartsWith("flags", StringComparison.Ordinal))
                .Take(1)
                .SelectMany(line => line.Split(' '))
                .Any(flag => flag is "avx512_bf16" or "amx_bf16");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // not Linux, or no /proc: unknown, so warn
        }
    });

    public static bool Supported => Flags.Value;
}
