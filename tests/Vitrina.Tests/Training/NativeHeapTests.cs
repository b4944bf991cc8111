using Vitrina.Training;

namespace Vitrina.Tests.Training;

public sealed class NativeHeapTests
{
    [Fact]
    public void The_restarted_process_gets_every_argument_back_empty_ones_included()
    {
        Assert.Equal(["dotnet", "vitrina-silo.dll", "--demo"], NativeHeap.SplitCommandLine("dotnet\0vitrina-silo.dll\0--demo\0"));
        Assert.Equal(["vitrina", "--name", "", "a b"], NativeHeap.SplitCommandLine("vitrina\0--name\0\0a b\0"));
        Assert.Equal(["vitrina", ""], NativeHeap.SplitCommandLine("vitrina\0\0"));
    }

    /// <summary>
    /// Freed blocks between blocks still held stay resident: glibc only ever gives back the top of a heap by itself. A
    /// retraining's peak would stay in a classify silo's working set for good.
    /// </summary>
    [Fact]
    public void Freed_memory_amid_blocks_still_held_goes_back_to_the_kernel_when_asked()
    {
        const int block = 64 * 1024;
        var blocks = new IntPtr[4096]; // 256 MiB
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = System.Runtime.InteropServices.Marshal.AllocHGlobal(block);
            for (var page = 0; page < block; page += 4096)
            {
                System.Runtime.InteropServices.Marshal.WriteByte(blocks[i], page, 1); // resident, not just reserved
            }
        }

        for (var i = 0; i < blocks.Length; i++)
        {
            if (i % 16 != 0)
            {
                System.Runtime.InteropServices.Marshal.FreeHGlobal(blocks[i]);
            }
        }

        var before = ResidentBytes();
        NativeHeap.ReturnFreedMemory();
        var after = ResidentBytes();
        foreach (var held in blocks.Where((_, i) => i % 16 == 0))
        {
            System.Runtime.InteropServices.Marshal.FreeHGlobal(held);
        }

        Assert.True(before - after > 128L << 20, $"resident {before >> 20} MiB before, {after >> 20} MiB after");
    }

    /// <summary>The second field of /proc/self/statm, in pages.</summary>
    private static long ResidentBytes() => long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1]) * Environment.SystemPageSize;
}
