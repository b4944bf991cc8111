using System.Runtime.InteropServices;
using TorchSharp;
using Vitrina.Grains.Placement;

namespace Vitrina.Benchmarks;

/// <summary>Names the machine a benchmark ran on, so numbers are never quoted without it.</summary>
public static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim()
            : null;
        // The same description a GPU silo advertises (NvidiaGpu), so a GPU run's tables name the card they ran on.
        var gpu = torch.cuda.is_available()
            ? $", CUDA devices: {torch.cuda.device_count()}" + (NvidiaGpu.Query(Environment.GetEnvironmentVariable("CUDA_VISIBLE_DEVICES")) is { } card ? $" (device 0: {card})" : "")
            : ", no CUDA";
        return $"machine: {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores, " +
               $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}, torch threads {torch.get_num_threads()}{gpu}";
    }
}
