using Vitrina.Grains.Classification;

namespace Vitrina.Tests.Classification;

public sealed class ClassifierOptionsTests
{
    [Fact]
    public void Libtorch_gets_the_cores_this_process_may_use_unless_told_otherwise()
    {
        Assert.Equal(Environment.ProcessorCount, new ClassifierOptions().TorchCpuThreads(ompNumThreads: null));
        Assert.Equal(3, new ClassifierOptions { CpuThreads = 3 }.TorchCpuThreads(ompNumThreads: "8"));
        Assert.Null(new ClassifierOptions().TorchCpuThreads(ompNumThreads: "8")); // the operator's OMP_NUM_THREADS stands
    }

    [Fact]
    public void A_negative_thread_count_is_refused_naming_the_setting()
    {
        var error = Assert.Throws<ArgumentException>(() => new ClassifierOptions { CpuThreads = -1 }.Validate());

        Assert.Contains("Vitrina:Classifier:CpuThreads", error.Message);
    }
}
