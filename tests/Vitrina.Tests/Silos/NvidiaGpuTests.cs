using Vitrina.Grains.Placement;
using Vitrina.Tests.Support;

namespace Vitrina.Tests.Silos;

/// <summary>
/// A GPU silo names its GPU from the driver's <c>nvidia-smi</c>: here a script standing in for it, which answers only
/// the query the silo is meant to ask, for the device CUDA would use.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the stand-in is a shell script
public sealed class NvidiaGpuTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private string FakeTool(string body)
    {
        var path = folder.Combine("nvidia-smi");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Answers for <paramref name="id"/> alone, with nvidia-smi's csv,noheader,nounits line; fails otherwise.</summary>
    private string ToolKnowing(string id, string line) => FakeTool(
        $$"""[ "$*" = "--query-gpu=name,memory.total --format=csv,noheader,nounits --id={{id}}" ] || { echo "No devices were found" >&2; exit 6; }"""
        + $"\necho '{line}'");

    [Theory]
    [InlineData(null, "0")] // the machine's first GPU
    [InlineData("GPU-8a2c1f3e-7b1d-4c55-9e0a-1b2c3d4e5f60,1", "GPU-8a2c1f3e-7b1d-4c55-9e0a-1b2c3d4e5f60")]
    [InlineData(" 3 ,1", "3")] // CUDA's device 0 is the first visible one
    public void Names_the_device_CUDA_numbers_zero(string? visible, string id)
    {
        var gpu = NvidiaGpu.Query(visible, ToolKnowing(id, "NVIDIA H100 80GB HBM3, 81559"));

        Assert.Equal(new NvidiaGpu("NVIDIA H100 80GB HBM3", 81559), gpu);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    public void Asks_nothing_when_CUDA_sees_no_device(string visible)
    {
        var asked = folder.Combine("asked");
        Assert.Null(NvidiaGpu.Query(visible, FakeTool($"touch '{asked}'; echo 'NVIDIA A10, 22731'")));
        Assert.False(File.Exists(asked));
    }

    [Theory]
    [InlineData("echo 'NVIDIA A10, 22731'; exit 9")] // a failing tool's words are not trusted
    [InlineData("echo 'Failed to initialize NVML: Driver/library version mismatch'")]
    [InlineData("echo 'NVIDIA A10, [N/A]'")]
    [InlineData("true")]
    public void A_tool_that_cannot_say_leaves_the_GPU_unnamed(string body) =>
        Assert.Null(NvidiaGpu.Query(null, FakeTool(body)));

    [Fact]
    public void A_tool_that_hangs_is_stopped_and_the_silo_starts_without_the_name()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();

        Assert.Null(NvidiaGpu.Query(null, FakeTool("sleep 60"), timeout: TimeSpan.FromSeconds(1)));
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"waited {started.Elapsed}"); // not the tool's 60 s
    }

    [Fact]
    public void No_tool_leaves_the_GPU_unnamed() =>
        Assert.Null(NvidiaGpu.Query(null, folder.Combine("no-such-nvidia-smi")));

    [Fact]
    public void A_name_with_commas_keeps_them() =>
        Assert.Equal(new NvidiaGpu("NVIDIA RTX 6000 Ada Generation, rev 2", 49140), NvidiaGpu.Parse("NVIDIA RTX 6000 Ada Generation, rev 2, 49140\n"));

    [Fact]
    public void The_silo_advertises_the_GPU_it_classifies_on_and_no_GPU_when_on_the_CPU()
    {
        var gpu = SiloDescription.Describe([SiloRoles.Classify], gpu: true, new NvidiaGpu("NVIDIA H200", 143771), memoryMiB: 2048).ToMetadata();
        var unnamed = SiloDescription.Describe([SiloRoles.Classify], gpu: true, null, memoryMiB: 2048).ToMetadata();
        var cpu = SiloDescription.Describe(SiloRoles.All, gpu: false, null, memoryMiB: 2048).ToMetadata();

        Assert.Equal(("true", "cuda (NVIDIA H200, 143771 MiB)", "NVIDIA H200", "143771", "2048"),
            (gpu[SiloMetadataKeys.Gpu], gpu[SiloMetadataKeys.Device], gpu[SiloMetadataKeys.GpuName], gpu[SiloMetadataKeys.GpuMemoryMiB], gpu[SiloMetadataKeys.MemoryMiB]));
        Assert.Equal(("true", "cuda", ""), (unnamed[SiloMetadataKeys.Gpu], unnamed[SiloMetadataKeys.Device], unnamed[SiloMetadataKeys.GpuName]));
        Assert.Equal(("false", $"cpu ({Environment.ProcessorCount} cores)", "", ""),
            (cpu[SiloMetadataKeys.Gpu], cpu[SiloMetadataKeys.Device], cpu[SiloMetadataKeys.GpuName], cpu[SiloMetadataKeys.GpuMemoryMiB]));
    }
}
