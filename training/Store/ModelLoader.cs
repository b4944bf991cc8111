using Vitrina.Training.Models;

namespace Vitrina.Training.Store;

/// <summary>Builds the module a manifest names and loads its weights.</summary>
public static class ModelLoader
{
    private static readonly Lazy<ResNet18Backbone> Backbone = new(() => ResNet18Backbone.Load());

    /// <summary>The ImageNet backbone, loaded once per process and shared by every model version that uses it.</summary>
    public static ResNet18Backbone SharedBackbone => Backbone.Value;

    public static CatalogueModel Create(ModelManifest manifest) => manifest.Architecture switch
    {
        PaperModels.Name => new PaperModels(manifest.ColourClasses.Count, manifest.CategoryClasses.Count),
        GarmentModel.Name => new GarmentModel(SharedBackbone, manifest.ColourClasses.Count, manifest.CategoryClasses.Count),
        _ => throw new NotSupportedException($"Unknown model architecture '{manifest.Architecture}' in model {manifest.Version}."),
    };

    public static CatalogueModel Load(ModelStore store, ModelManifest manifest)
    {
        var model = Create(manifest);
        try
        {
            model.LoadWeights(store.FolderOf(manifest.Version));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            model.Dispose();
            throw new InvalidDataException($"Model {manifest.Version} could not be loaded from {store.FolderOf(manifest.Version)}: {e.Message}", e);
        }

        model.eval();
        return model;
    }
}
