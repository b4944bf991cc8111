using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vitrina.Training.Models;

/// <summary>
/// The first <c>count</c> columns of a feature row: lets a head that needs only part of the shared feature vector take
/// the same input as the others, so training, retraining and inference hand every head the same tensor.
/// </summary>
public sealed class LeadingFeatures(int count) : Module<Tensor, Tensor>("leading_features")
{
    public override Tensor forward(Tensor features) => features.narrow(1, 0, count);
}
