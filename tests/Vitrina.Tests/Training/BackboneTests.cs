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
    public void Backbone_gives_512_non_negative_features_that_tell_photos_apart()
    {
        var backbone = ModelLoader.SharedBackbone();
        using var scope = NewDisposeScope();
        var white = full(new long[] { 1, 224, 224, 3 }, 250, ScalarType.Byte);
        var noise = randint(0, 255, [1, 224, 224, 3], generator: new Generator(1)).to(ScalarType.Byte);
        var features = backbone.forward(cat([white, noise]));
        Assert.Equal([2L, 512L], features.shape);
        Assert.True(features.min().item<float>() >= 0, "features follow a ReLU and an average pool");
        Assert.True((features[0] - features[1]).abs().max().item<float>() > 0.1f);
        Assert.False(backbone.parameters().Any(p => p.requires_grad), "the backbone is frozen");
    }
}
