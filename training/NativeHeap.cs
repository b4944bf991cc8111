using System.Runtime.InteropServices;

namespace Vitrina.Training;

/// <summary>
/// Keeps memory that tensors free inside the process. glibc serves every block above its mmap threshold (32 MB at
/// most) with a fresh mapping and unmaps it on free, so each batch's large activations were faulted in and zeroed by
/// the kernel again: on the 2-core dev machine `vitrina predict` spent two thirds of its time in the kernel (1,000
/// photos in 55.7 s, 33 s of it system time; 18.3 s and 4.5 s with this), and the classifier bench ran erratically.
/// The price is a working set that stays at its peak, which a classifier's batches reach again anyway.
/// </summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapMax = -4; // M_MMAP_MAX

    /// <summary>Call once at process start, before the first tensor. Does nothing where the C library is not glibc.</summary>
    public static void KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            mallopt(MmapMax, 0);
            mallopt(TrimThreshold, int.MaxValue);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            // musl and other C libraries: their allocator has no such switch, and nothing here depends on it.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
}
