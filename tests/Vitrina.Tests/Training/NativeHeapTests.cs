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
}
