using TorchSharp;
using static TorchSharp.torch;

namespace Vitrina.Training.Models;

/// <summary>
/// A classifier over prepared photos. Input: a uint8 batch [N, H, W, 3] (RGB, as <see cref="Images.PreparedImage"/>
/// holds it); output: logits [N, classes]. Each model normalises pixels itself, on its own device.
/// </summary>
public abstract class ImageClassifierModule(string name) : nn.Module<Tensor, Tensor>(name)
{
    /// <summary>The architecture name written into the model manifest.</summary>
    public abstract string Architecture { get; }

    /// <summary>Turns [N, H, W, 3] bytes into [N, 3, H, W] values in 0..1 (Keras' rescale=1/255), in the weights' precision.</summary>
    protected Tensor ToUnitFloat(Tensor pixels) =>
        pixels.permute(0, 3, 1, 2).to(parameters().First().dtype).div_(255f);
}
