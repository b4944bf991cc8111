using System.Collections;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Vitrina.Training;

/// <summary>
/// Keeps the memory that tensors free inside the process, on glibc. Its defaults hand every large block back to the
/// kernel on free, so each batch's activations were mapped, faulted in and zeroed by the kernel again:
/// <list type="bullet">
/// <item>blocks above the mmap threshold (32 MB at most) get a mapping of their own: on the 2-core dev machine
/// `vitrina predict` spent two thirds of its time in the kernel (1,000 photos in 55.7 s, 33 s of it system time;
/// 17.2 s and 4.1 s without);</item>
/// <item>every thread but the main one allocates from an arena of 64 MB heaps, and a block larger than a heap is mapped
/// there whatever the mmap settings, then unmapped on free: the paper pair's first activation of a batch of 32 is
/// 90 MB. The model host's inference thread, and any pool thread, did that on every batch (the classifier bench spent
/// 36 of its 90 s in the kernel, its model host ran at 0.5-0.7 of the bare loop; with one arena 6 s, and 1.05-1.26).</item>
/// <item>free memory at the top of the heap beyond the trim threshold goes back to the kernel. <c>mallopt</c> takes an
/// int, so at most 2 GB, which the paper pair's batch of 512 frees at once (its first activation alone is 1.4 GB): it
/// ran at 27 photos/s, 159 s of a 304 s bench in the kernel. The environment's threshold is a size_t, so it is set
/// there, beyond any heap (264 photos/s, 21 s).</item>
/// </list>
/// The price is a working set that stays at its peak, which a classifier's batches reach again anyway.
/// </summary>
public static class NativeHeap
{
    /// <summary>
    /// glibc reads its arena limit once, before <c>Main</c> runs (the runtime's own threads have their arenas by then),
    /// so it is set in the environment and the process starts again with it.
    /// </summary>
    private static readonly (string Name, string Value)[] Settings =
    [
        (ArenaMaxVariable, "1"),
        ("MALLOC_MMAP_MAX_", "0"),
        (TrimThresholdVariable, (1L << 40).ToString()), // 1 TiB: never
    ];

    private const string ArenaMaxVariable = "MALLOC_ARENA_MAX";
    private const string TrimThresholdVariable = "MALLOC_TRIM_THRESHOLD_";
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapMax = -4; // M_MMAP_MAX

    /// <summary>
    /// Call first in <c>Main</c>, before anything is written or started: on glibc, unless <c>MALLOC_ARENA_MAX</c> is set
    /// already (by an operator, or by this), it replaces the process with itself, same executable, name, arguments and
    /// process id, with the settings above in its environment. Where that is not possible (a debugger attached, the exec
    /// refused) it sets what can still be set in the running process. Does nothing off glibc.
    /// </summary>
    public static void KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux() || !IsGlibc())
        {
            return;
        }

        if (Environment.GetEnvironmentVariable(ArenaMaxVariable) is null && !Debugger.IsAttached)
        {
            StartAgainWithSettings(); // returns only when the exec failed
        }

        mallopt(MmapMax, 0);
        if (Environment.GetEnvironmentVariable(TrimThresholdVariable) is null)
        {
            mallopt(TrimThreshold, int.MaxValue); // the most mallopt can say, and lower than the environment's
        }
    }

    private static void StartAgainWithSettings()
    {
        IReadOnlyList<string> arguments;
        try
        {
            // The command line exactly as this process was started (`dotnet x.dll ...` or the app host), which
            // Environment.GetCommandLineArgs does not give back.
            arguments = SplitCommandLine(File.ReadAllText("/proc/self/cmdline"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // no /proc (a sandbox): the settings below still apply to this process
        }

        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        foreach (var (name, value) in Settings)
        {
            environment.TryAdd(name, value);
        }

        RemoveDiagnosticSocket();
        // The executable by its own path, not /proc/self/exe: the kernel names a process after the file it runs, and
        // `ps`, `top` and `pgrep` would otherwise show every Vitrina process as "exe".
        var executable = Environment.ProcessPath ?? "/proc/self/exe";
        execve(executable, [.. arguments, null], [.. environment.Select(e => $"{e.Key}={e.Value}"), null]);
    }

    /// <summary>
    /// The runtime listens for diagnostic tools (dotnet-counters, -trace, -gcdump) on a socket file named after the
    /// process id and start time, which the exec keeps. The restarted runtime cannot bind a name that is already taken,
    /// so the file left by this one would make every Vitrina process unreachable to those tools, and stay in the
    /// temporary folder after it exits. Files of earlier processes that had this id go too: nothing listens on them.
    /// </summary>
    private static void RemoveDiagnosticSocket()
    {
        try
        {
            foreach (var socket in Directory.EnumerateFiles(Path.GetTempPath(), $"dotnet-diagnostic-{Environment.ProcessId}-*-socket"))
            {
                File.Delete(socket);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Diagnostics stay unreachable in this process; nothing else depends on the socket.
        }
    }

    /// <summary>
    /// Hands the free memory of every arena back to the kernel, once: after a rare peak that the process will not reach
    /// again soon, such as a retraining's feature extraction over thousands of photos on a classify silo, which
    /// <see cref="KeepFreedMemory"/> would otherwise keep for the rest of the silo's life. Does nothing off glibc.
    /// </summary>
    public static void ReturnFreedMemory()
    {
        if (OperatingSystem.IsLinux() && IsGlibc())
        {
            malloc_trim(0);
        }
    }

    /// <summary>The arguments in <c>/proc/PID/cmdline</c>: each one ends with a NUL, an empty one included.</summary>
    public static IReadOnlyList<string> SplitCommandLine(string cmdline) =>
        cmdline.Length == 0 ? [] : (cmdline.EndsWith('\0') ? cmdline[..^1] : cmdline).Split('\0');

    private static bool IsGlibc()
    {
        try
        {
            return gnu_get_libc_version() != IntPtr.Zero;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false; // musl and other C libraries: their allocator has no such switches, and nothing depends on them
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);

    [DllImport("libc", EntryPoint = "gnu_get_libc_version")]
    private static extern IntPtr gnu_get_libc_version();

    [DllImport("libc", EntryPoint = "execve", SetLastError = true)]
    private static extern int execve(string path, string?[] argv, string?[] envp);
}
