using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vitrina.Training.Models;

/// <summary>
/// ImageNet ResNet-18 as exported from CNTK 2.6 in the Microsoft.ML.DnnImageFeaturizer.ResNet18 package, rebuilt layer
/// by layer in TorchSharp from the ONNX graph (convolutions, batch norms, residual adds; the export's asymmetric "same"
/// padding kept exactly). Input: uint8 RGB [N, H, W, 3]; output: 1,024 features, float32 whatever precision the layers
/// compute in: the last block's 512 channels pooled twice, by their average (as in ImageNet training) and by their
/// generalised mean with p = 3, which leans towards the strongest responses in the map.
/// </summary>
public sealed class ResNet18Backbone : Module<Tensor, Tensor>
{
    /// <summary>The last block's 512 channels, pooled two ways.</summary>
    public const int FeatureCount = 1024;

    // The export expects BGR 0..255 minus the ImageNet mean (paper-models.md): B 103.1, G 115.9, R 123.2.
    private static readonly float[] BgrMean = [103.1f, 115.9f, 123.2f];

    private readonly ModuleDict<Module> layers = new();
    private readonly IReadOnlyList<OnnxNode> nodes;
    private readonly string input;
    private readonly Dictionary<string, long[]> padding = new();
    private readonly HashSet<string> folded = [];
    private readonly Dictionary<string, int> consumers;

    private ResNet18Backbone(OnnxGraph graph, ScalarType precision) : base("resnet18")
    {
        Precision = precision;
        nodes = graph.Nodes;
        input = graph.Input;
        // The backbone only ever runs frozen, so each batch norm that follows a convolution is folded into it: one op
        // fewer per layer, and no tiny running variances to lose in float16.
        var normAfter = nodes.Where(n => n.Op == "BatchNormalization").ToDictionary(n => n.Inputs[0]);
        foreach (var node in nodes)
        {
            switch (node.Op)
            {
                case "Conv":
                    var norm = normAfter.GetValueOrDefault(node.Outputs[0]);
                    layers.Add((LayerName(node), CreateConvolution(node, norm, graph, precision)));
                    padding[node.Name] = TorchPadding(node.Ints("pads"));
                    if (norm is not null)
                    {
                        folded.Add(norm.Name);
                    }

                    break;
                case "BatchNormalization":
                    if (!folded.Contains(node.Name))
                    {
                        layers.Add((LayerName(node), CreateBatchNorm(node, graph, precision)));
                    }

                    break;
                case "MaxPool":
                    padding[node.Name] = TorchPadding(node.Ints("pads"));
                    break;
                case "Relu" or "Add" or "AveragePool":
                    break;
                default:
                    throw new NotSupportedException($"ONNX operator {node.Op} ({node.Name}) is not supported by the backbone.");
            }
        }

        consumers = nodes.SelectMany(n => n.Inputs).GroupBy(name => name).ToDictionary(g => g.Key, g => g.Count());
        RegisterComponents();
    }

    /// <summary>The default location: copied next to the assemblies from the NuGet package at build.</summary>
    public static string DefaultOnnxPath => Path.Combine(AppContext.BaseDirectory, "backbones", "ResNet18.onnx");

    /// <summary>float32, or float16 for inference on CUDA (the layers are created in it: the weights are rounded once).</summary>
    public ScalarType Precision { get; }

    public static ResNet18Backbone Load(ScalarType precision = ScalarType.Float32)
    {
        var backbone = new ResNet18Backbone(OnnxGraph.Load(DefaultOnnxPath), precision);
        backbone.eval();
        foreach (var p in backbone.parameters())
        {
            p.requires_grad = false;
        }

        return backbone;
    }

    public override Tensor forward(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var bgr = pixels.permute(0, 3, 1, 2).flip(1).to(Precision);
        // Made per batch on the batch's device (three numbers, in this scope), not kept in a field: moving the module to
        // a device replaces its tensor fields and buffers, and a field registered twice kept the disposed CPU original.
        var graphInput = bgr - tensor(BgrMean, Precision, bgr.device).reshape(1, 3, 1, 1);
        var values = new Dictionary<string, Tensor> { [input] = graphInput };
        // Each activation map is freed once its last reader has run, and a ReLU that is its input's last reader works in
        // place, so a batch holds a few maps at a time instead of all of them (the folded batch norms pass theirs on).
        var readers = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance) { [graphInput] = consumers[input] };
        foreach (var node in nodes)
        {
            var x = values[node.Inputs[0]];
            var output = node.Op switch
            {
                "Conv" => Convolve((Conv2d)layers[LayerName(node)], x, padding[node.Name]),
                "BatchNormalization" when folded.Contains(node.Name) => x,
                "BatchNormalization" => ((BatchNorm2d)layers[LayerName(node)]).forward(x),
                "Relu" when readers[x] == 1 => x.relu_(),
                "Relu" => functional.relu(x),
                "Add" => x + values[node.Inputs[1]],
                "MaxPool" => MaxPool(x, node.Ints("kernel_shape").ToArray(), node.Ints("strides").ToArray(), padding[node.Name]),
                "AveragePool" => GlobalPool(x),
                _ => throw new NotSupportedException(node.Op),
            };
            values[node.Outputs[0]] = output;
            readers[output] = readers.GetValueOrDefault(output) + consumers.GetValueOrDefault(node.Outputs[0], 1);
            foreach (var read in node.Inputs.Where(values.ContainsKey).Select(name => values[name]))
            {
                if (--readers[read] == 0)
                {
                    read.Dispose();
                }
            }
        }

        return values[nodes[^1].Outputs[0]].flatten(1).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Average and generalised-mean (p = 3) pooling side by side: on the Myntra val split the garment heads over both
    /// reach category 0.966-0.967 against 0.959-0.960 over the average alone, and call 1.9-2.5 % of held-out amateur
    /// clothing photos bags or jewellery against 3.6-4.3 %; colour is unchanged (two seeds each, docs/accuracy.md).
    /// Computed in float32: the cube of a strong activation can leave float16's range.
    /// </summary>
    private static Tensor GlobalPool(Tensor map)
    {
        var x = map.to(ScalarType.Float32);
        var mean = functional.adaptive_avg_pool2d(x, [1, 1]);
        var generalised = x.clamp_min(1e-6).pow(3).mean([2, 3], keepdim: true).pow(1.0 / 3);
        return cat([mean, generalised], dim: 1);
    }

    /// <summary>
    /// The convolution with the export's padding. Where padding both sides by the leading pad gives the same output
    /// size, the extra trailing zeros are never read, so the convolution pads by itself instead of reading a padded
    /// copy of its input: on CPU 5-17 % more photos per second at batch 8-32, the same features to the bit
    /// (docs/benchmarks.md). Not for a single photo on CPU: libtorch then sends the last block's small maps to its
    /// native kernels instead of oneDNN, probing NNPACK on the way, which logs a warning on every call where the CPU
    /// lacks it.
    /// </summary>
    private static Tensor Convolve(Conv2d convolution, Tensor x, long[] pads)
    {
        var kernel = convolution.weight!.shape[2..];
        var stride = convolution.stride;
        var padsItself = (x.shape[0] > 1 || x.device_type != DeviceType.CPU) && LeadingPadsSuffice(x, kernel, stride, pads);
        return padsItself
            ? functional.conv2d(x, convolution.weight, convolution.bias, strides: stride, padding: [pads[2], pads[0]])
            : convolution.forward(functional.pad(x, pads));
    }

    /// <summary>The export's max pool; as <see cref="Convolve"/>, padding itself (with -infinity) where the output is the same.</summary>
    private static Tensor MaxPool(Tensor x, long[] kernel, long[] stride, long[] pads) =>
        LeadingPadsSuffice(x, kernel, stride, pads)
            ? functional.max_pool2d(x, kernel, stride, [pads[2], pads[0]])
            : functional.max_pool2d(functional.pad(x, pads, value: float.NegativeInfinity), kernel, stride);

    /// <summary>
    /// True when padding each side of <paramref name="x"/>'s map by its leading pad (torch order: left, right, top,
    /// bottom) gives as many outputs as the export's pads, so the trailing zeros a layer would add are never read.
    /// </summary>
    private static bool LeadingPadsSuffice(Tensor x, long[] kernel, long[] stride, long[] pads)
    {
        static bool Suffices(long size, long kernel, long stride, long before, long after) =>
            before >= after && (size + before + after - kernel) / stride == (size + 2 * before - kernel) / stride;

        return Suffices(x.shape[2], kernel[0], stride[0], pads[2], pads[3]) && Suffices(x.shape[3], kernel[1], stride[1], pads[0], pads[1]);
    }

    private static string LayerName(OnnxNode node) => node.Name.ToLowerInvariant();

    // ONNX pads are [top, left, bottom, right]; torch's pad takes [left, right, top, bottom].
    private static long[] TorchPadding(IReadOnlyList<long> pads) =>
        pads.Count == 4 ? [pads[1], pads[3], pads[0], pads[2]] : [0, 0, 0, 0];

    /// <param name="norm">The batch norm applied to this convolution's output, folded into its weights and bias (in float32).</param>
    private static Conv2d CreateConvolution(OnnxNode node, OnnxNode? norm, OnnxGraph graph, ScalarType precision)
    {
        var weight = graph.Initializers[node.Inputs[1]];
        var strides = node.Ints("strides");
        var hasBias = node.Inputs.Count > 2 || norm is not null;
        var conv = Conv2d(weight.Dims[1], weight.Dims[0], (weight.Dims[2], weight.Dims[3]),
            stride: (strides[0], strides[1]), padding: (0L, 0L), bias: hasBias, dtype: precision);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var w = tensor(weight.Data).reshape(weight.Dims);
        var b = node.Inputs.Count > 2 ? tensor(graph.Initializers[node.Inputs[2]].Data) : zeros(weight.Dims[0]);
        if (norm is not null)
        {
            Tensor Input(int i) => tensor(graph.Initializers[norm.Inputs[i]].Data);
            var scale = Input(1) / (Input(4) + norm.Float("epsilon", 1e-5f)).sqrt();
            w = w * scale.reshape(-1, 1, 1, 1);
            b = (b - Input(3)) * scale + Input(2);
        }

        conv.weight!.copy_(w);
        if (hasBias)
        {
            conv.bias!.copy_(b);
        }

        return conv;
    }

    private static BatchNorm2d CreateBatchNorm(OnnxNode node, OnnxGraph graph, ScalarType precision)
    {
        var scale = graph.Initializers[node.Inputs[1]];
        var norm = BatchNorm2d(scale.Dims[0], eps: node.Float("epsilon", 1e-5f), dtype: precision);
        using (no_grad())
        {
            norm.weight!.copy_(tensor(scale.Data));
            norm.bias!.copy_(tensor(graph.Initializers[node.Inputs[2]].Data));
            norm.running_mean!.copy_(tensor(graph.Initializers[node.Inputs[3]].Data));
            norm.running_var!.copy_(tensor(graph.Initializers[node.Inputs[4]].Data));
        }

        return norm;
    }
}
