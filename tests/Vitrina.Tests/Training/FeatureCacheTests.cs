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

    [Fact]
    public void A_file_with_a_damaged_header_is_computed_afresh_not_trusted_to_size_an_allocation()
    {
        using var folder = new TempFolder();
        var cache = new FeatureCache(folder.Path);
        using (cache.GetOrCompute(["a"], () => ones(3, 5)))
        {
        }

        var file = Directory.GetFiles(folder.Path).Single();
        var bytes = File.ReadAllBytes(file);
        BitConverter.GetBytes(long.MaxValue / 2).CopyTo(bytes, 0); // rows: far more than the file holds
        File.WriteAllBytes(file, bytes);

        using var again = cache.GetOrCompute(["a"], () => zeros(3, 5));

        Assert.Equal(0f, again.sum().item<float>()); // recomputed
    }
}
