using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Vitrina.Grains.Placement;

/// <summary>The GPU a silo's classifier runs on, as the NVIDIA driver names it: what operators pick silos by.</summary>
public sealed record NvidiaGpu(string Name, long MemoryMiB)
{

    /// <summary>
    /// Asks <c>nvidia-smi</c> (the driver's own tool, which NVIDIA's container toolkit mounts into GPU containers) about
    /// CUDA device 0: the first entry of <paramref name="cudaVisibleDevices"/> when set. TorchSharp has no API for a
    /// device's name or memory. Null when the tool is missing, fails or hangs: the silo still starts, advertising "cuda".
    /// </summary>
    /// <param name="cudaVisibleDevices">
    /// <c>CUDA_VISIBLE_DEVICES</c>. Without it, index 0 is nvidia-smi's first device in PCI order, which is CUDA's first
    /// only where the GPUs are alike or <c>CUDA_DEVICE_ORDER=PCI_BUS_ID</c>.
    /// </param>
    /// <param name="timeout">How long the tool may take (10 s): a wedged driver hangs it.</param>
    public static NvidiaGpu? Query(string? cudaVisibleDevices, string tool = "nvidia-smi", TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        if (FirstVisible(cudaVisibleDevices) is not { } id)
        {
            return null;
        }

        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--query-gpu=name,memory.total", "--format=csv,noheader,nounits", $"--id={id}" })
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true); // a wedged driver hangs nvidia-smi; the silo must still start
                return null;
            }

            return process.ExitCode == 0 && output.Wait(limit) && errors.Wait(limit) ? Parse(output.Result) : null;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
            return null; // no such tool: not an NVIDIA machine, or one without the driver's utilities
        }
    }

    /// <summary>CUDA's device 0: the whole machine's first GPU, or the first entry the variable makes visible.</summary>
    internal static string? FirstVisible(string? cudaVisibleDevices)
    {
        if (cudaVisibleDevices is null)
        {
            return "0";
        }

        var first = cudaVisibleDevices.Split(',')[0].Trim();
        // An empty entry or a negative index hides every GPU from CUDA.
        return first.Length == 0 || first.StartsWith('-') ? null : first;
    }

    /// <summary>One line of <c>name, memory.total</c> in MiB; a GPU's name may itself hold commas.</summary>
    internal static NvidiaGpu? Parse(string output)
    {
        var line = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var comma = line?.LastIndexOf(',') ?? -1;
        if (line is null || comma <= 0)
        {
            return null;
        }

        var name = line[..comma].Trim();
        return name.Length > 0 && long.TryParse(line[(comma + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var memory)
            ? new NvidiaGpu(name, memory)
            : null;
    }

    public override string ToString() => $"{Name}, {MemoryMiB} MiB";
}
