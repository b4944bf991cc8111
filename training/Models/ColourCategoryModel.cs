using TorchSharp;
using static TorchSharp.torch;

namespace Vitrina.Training.Models;

/// <summary>
/// Both classifiers of a model version: uint8 RGB [N, H, W, 3] in, colour and category logits out, and, from models
/// that have one, the taxonomy logits [N, 2]: whether the photo shows something of the catalogue's categories at all
/// (index 1) or not (index 0). Implementations decide how much of the work the tasks share: <see cref="GarmentModel"/>
/// (shipped: one ResNet-18 pass, three heads) and <see cref="PaperModels"/> (the paper's two CNNs); a saved version's
/// architecture picks one (<see cref="Store.ModelLoader"/>).
/// </summary>
public abstract class ColourCategoryModel(string name) : nn.Module<Tensor, (Tensor Colour, Tensor Category, Tensor? Taxonomy)>(name)
{
    public abstract string Architecture { get; }

    /// <summary>Writes the weights that this architecture does not get from elsewhere into <paramref name="folder"/>.</summary>
    public abstract void SaveWeights(string folder);

    public abstract void LoadWeights(string folder);

    public virtual ColourCategoryModel ToDevice(Device device)
    {
        this.to(device);
        return this;
    }
}
