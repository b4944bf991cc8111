using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vitrina.Training.Models;

/// <summary>
/// The paper's Model 1 (colour): four valid 3x3 convolutions with 2x2 max pooling, Dense 512, Dense classes;
/// 3,456,199 parameters for 7 classes at 150x150 (shared/paper-models.md).
/// </summary>
public sealed class PaperColourModel : ImageClassifierModule
{
    public const string Name = "paper-model-1";

    private readonly Sequential layers;

    public PaperColourModel(int classes) : base(Name)
    {
        layers = Sequential(
            ("conv1", Conv2d(3, 32, 3)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(32, 64, 3)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
            ("conv3", Conv2d(64, 128, 3)), ("relu3", ReLU()), ("pool3", MaxPool2d(2)),
            ("conv4", Conv2d(128, 128, 3)), ("relu4", ReLU()), ("pool4", MaxPool2d(2)),
            ("flatten", Flatten()),
            ("dense1", Linear(7 * 7 * 128, 512)), ("relu5", ReLU()),
            ("dense2", Linear(512, classes)));
        RegisterComponents();
    }

    public override string Architecture => Name;

    public override Tensor forward(Tensor pixels)
    {
        using var x = ToUnitFloat(pixels);
        return layers.forward(x);
    }
}
