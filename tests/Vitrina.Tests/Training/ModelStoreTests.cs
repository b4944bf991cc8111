using TorchSharp;
using Vitrina.Tests.Support;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Models;
using Vitrina.Training.Store;
using static TorchSharp.torch;

namespace Vitrina.Tests.Training;

public sealed class ModelStoreTests
{
    internal static ModelManifest Manifest(string version) => new()
    {
        Version = version,
        Architecture = GarmentModel.Name,
        Preparation = PreparationSettings.ResNet,
        ColourClasses = ["Blue", "Black", "Pink", "Brown"],
        CategoryClasses = ["Bags", "Dresses"],
        ModerationThreshold = 0.5,
    };

    internal static ModelManifest SaveUntrained(ModelStore store, string version)
    {
        var manifest = Manifest(version);
        using var model = ModelLoader.Create(manifest);
        return store.Save(manifest, model);
    }

    [Fact]
    public void Saved_model_loads_back_with_identical_predictions()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path);
        var manifest = Manifest("v1");
        torch.manual_seed(7);
        using var model = ModelLoader.Create(manifest);
        model.eval();
        store.Save(manifest, model);

        using var image = TestImages.Garment(TestImages.Colours["Pink"], 1, size: 120);
        var prepared = ImagePreparation.Prepare(TestImages.Jpeg(image), manifest.Preparation);
        using var pixels = CatalogueClassifier.ToBatch([prepared], CPU);
        var (colourBefore, categoryBefore) = model.forward(pixels);

        using var loaded = ModelLoader.Load(store, store.Current());
        var (colourAfter, categoryAfter) = loaded.forward(pixels);
        Assert.True(colourBefore.allclose(colourAfter));
        Assert.True(categoryBefore.allclose(categoryAfter));
        Assert.Equal("v1", store.CurrentVersion());
        Assert.Equal(manifest.ColourClasses, store.Current().ColourClasses);
    }

    [Fact]
    public void Current_pointer_follows_set_current_and_lists_all_versions()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path);
        SaveUntrained(store, "v1");
        SaveUntrained(store, "v2");
        Assert.Equal("v2", store.CurrentVersion());
        store.SetCurrent("v1");
        Assert.Equal("v1", store.CurrentVersion());
        Assert.Equal(["v1", "v2"], store.List().Select(m => m.Version));
        Assert.Throws<FileNotFoundException>(() => store.SetCurrent("v9"));
    }

    [Fact]
    public void Corrupt_weights_fail_with_the_version_named()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path);
        SaveUntrained(store, "broken");
        File.WriteAllText(Path.Combine(store.FolderOf("broken"), "colour-head.weights"), "garbage");
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(store, store.Get("broken")));
        Assert.Contains("broken", e.Message);
    }
}
