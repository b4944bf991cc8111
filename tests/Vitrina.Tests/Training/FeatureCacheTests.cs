using Vitrina.Tests.Support;
using Vitrina.Training.Training;
using static TorchSharp.torch;

namespace Vitrina.Tests.Training;

public sealed class FeatureCacheTests
{
    [Fact]
    public void Second_request_with_the_same_key_reads_the_file_instead_of_computing()
    {
        using var folder = new TempFolder();
        var cache = new FeatureCache(folder.Path);
        var computed = 0;
        Tensor Compute()
        {
            computed++;
            return rand(3, 5);
        }

        using var first = cache.GetOrCompute(["a", "b"], Compute);
        using var second = cache.GetOrCompute(["a", "b"], Compute);
        using var other = cache.GetOrCompute(["a", "c"], Compute);
        Assert.Equal(2, computed);
        Assert.True(first.allclose(second));
    }
}
