using TorchSharp;
using static TorchSharp.torch;

namespace Vitrina.Training.Models;

/// <summary>
/// Both classifiers of a model version: uint8 RGB [N, H, W, 3] in, colour and category logits out, and, from models
/// that have one, the taxonomy logits [N, 2]: whether the photo shows something of the catalogue's categories at all
/// (index 1) or not (index 0). Implementations decide how much of the work the tasks share.
/// </summary>
public abstract class CatalogueModel(string name) : nn.Module<Tensor, (Tensor Colour, Tensor Category, Tensor? Taxonomy)>(name)
{
    public abstract string Architecture { get; }

    /// <summary>Writes the weights that this architecture does not get from elsewhere into <paramref name="folder"/>.</summary>
    public abstract void SaveWeights(string folder);

    public abstract void LoadWeights(string folder);

    public virtual CatalogueModel ToDevice(Device device)
    {
        this.to(device);
        return this;
    }
}
