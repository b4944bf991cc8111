using System.Runtime.InteropServices;
using TorchSharp;

namespace Vitrina.Benchmarks;

/// <summary>Names the machine a benchmark ran on, so numbers are never quoted without it.</summary>
public static class Machine
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim()
            : null;
        var gpu = torch.cuda.is_available() ? $", CUDA devices: {torch.cuda.device_count()}" : ", no CUDA";
        return $"machine: {cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores, " +
               $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}, torch threads {torch.get_num_threads()}{gpu}";
    }
}
