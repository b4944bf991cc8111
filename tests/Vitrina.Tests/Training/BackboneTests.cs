using TorchSharp;
using Vitrina.Training.Models;
using Vitrina.Training.Store;
using static TorchSharp.torch;

namespace Vitrina.Tests.Training;

public sealed class BackboneTests
{
    [Fact]
    public void Onnx_graph_is_the_cntk_resnet18_export()
    {
        var graph = OnnxGraph.Load(ResNet18Backbone.DefaultOnnxPath);
        Assert.Equal(22, graph.Nodes.Count(n => n.Op == "Conv"));
        Assert.Equal(9, graph.Nodes.Count(n => n.Op == "Add"));
        var stem = graph.Nodes.First(n => n.Op == "Conv");
        Assert.Equal([64L, 3, 7, 7], graph.Initializers[stem.Inputs[1]].Dims);
        Assert.Equal([3L, 3, 2, 2], stem.Ints("pads"));
    }

    [Fact]
    public void Backbone_gives_1024_non_negative_features_that_tell_photos_apart()
    {
        var backbone = ModelLoader.SharedBackbone();
        using var scope = NewDisposeScope();
        var white = full(new long[] { 1, 224, 224, 3 }, 250, ScalarType.Byte);
        var noise = randint(0, 255, [1, 224, 224, 3], generator: new Generator(1)).to(ScalarType.Byte);
        var features = backbone.forward(cat([white, noise]));
        Assert.Equal([2L, ResNet18Backbone.FeatureCount], features.shape);
        Assert.Equal(1024, ResNet18Backbone.FeatureCount);
        Assert.True(features.min().item<float>() >= 0, "features follow a ReLU and pooling");
        Assert.True((features[0] - features[1]).abs().max().item<float>() > 0.1f);
        var (mean, generalised) = (features.narrow(1, 0, 512), features.narrow(1, 512, 512));
        Assert.True((generalised - mean).min().item<float>() >= -1e-4f, "a generalised mean with p > 1 is never below the mean");
        Assert.False(backbone.parameters().Any(p => p.requires_grad), "the backbone is frozen");
    }

    [Theory]
    [InlineData(160)]
    [InlineData(224)]
    public void A_photo_has_the_same_features_alone_as_in_a_batch(int side)
    {
        // A batch's convolutions pad by themselves; a single photo's on CPU read a padded copy of their input
        // (ResNet18Backbone.Convolve): the two must agree, or the export's asymmetric padding was lost.
        var backbone = ModelLoader.SharedBackbone();
        using var scope = NewDisposeScope();
        var photos = randint(0, 255, [3, side, side, 3], generator: new Generator(5)).to(ScalarType.Byte);
        var batched = backbone.forward(photos);
        for (var i = 0; i < 3; i++)
        {
            var alone = backbone.forward(photos.narrow(0, i, 1));
            var difference = (alone[0] - batched[i]).abs().max().item<float>();
            Assert.True(difference < 1e-4f, $"photo {i} at {side} px: features differ by {difference} alone and in a batch");
        }
    }

    [Fact]
    public void Category_head_reads_the_backbone_features_alone_and_colour_head_reads_them_all()
    {
        using var model = new GarmentModel(ModelLoader.SharedBackbone(), colours: 7, categories: 6);
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var features = randn([4, GarmentModel.FeatureCount], generator: new Generator(3));
        var recoloured = features.clone();
        recoloured.narrow(1, ResNet18Backbone.FeatureCount, GarmentColourFeatures.Count).add_(5);

        Assert.Equal(model.CategoryHead.forward(features).data<float>().ToArray(), model.CategoryHead.forward(recoloured).data<float>().ToArray());
        Assert.True((model.ColourHead.forward(features) - model.ColourHead.forward(recoloured)).abs().max().item<float>() > 1e-3f);
    }
}
