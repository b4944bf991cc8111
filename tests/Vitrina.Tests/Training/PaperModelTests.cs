using TorchSharp;
using Vitrina.Training.Models;
using static TorchSharp.torch;

namespace Vitrina.Tests.Training;

public sealed class PaperModelTests
{
    [Fact]
    public void Model_1_has_the_papers_parameter_count()
    {
        using var model = new PaperColourModel(7);
        Assert.Equal(3_456_199, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Model_2_has_the_papers_parameter_count()
    {
        using var model = new PaperCategoryModel(6);
        Assert.Equal(19_036_742, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Both_models_take_150px_uint8_batches_and_return_logits_per_class()
    {
        using var model = new PaperModels(7, 6);
        model.eval();
        using var pixels = randint(0, 255, [2, 150, 150, 3]).to(ScalarType.Byte);
        var (colour, category, taxonomy) = model.forward(pixels);
        Assert.Equal([2L, 7L], colour.shape);
        Assert.Equal([2L, 6L], category.shape);
        Assert.Null(taxonomy); // the paper has no taxonomy head: every photo counts as one of its categories
    }
}
