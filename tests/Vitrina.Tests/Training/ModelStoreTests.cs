using TorchSharp;
using Vitrina.Tests.Support;
using Vitrina.Training;
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

    /// <summary>The paper's Model 1 + Model 2 with their class lists (150 px input).</summary>
    internal static ModelManifest PaperManifest(string version) => new()
    {
        Version = version,
        Architecture = PaperModels.Name,
        Preparation = PreparationSettings.Paper,
        ColourClasses = Taxonomy.Paper.Colours,
        CategoryClasses = Taxonomy.Paper.Categories,
    };

    internal static ModelManifest SaveUntrained(ModelStore store, string version) => SaveUntrained(store, Manifest(version));

    /// <summary>Makes a saved version look as if an older Vitrina had trained it: an architecture this build does not know.</summary>
    internal static void Retire(ModelStore store, string version)
    {
        var manifest = Path.Combine(store.FolderOf(version), "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(GarmentModel.Name, "resnet18-retired-heads"));
    }

    internal static ModelManifest SaveUntrained(ModelStore store, ModelManifest manifest)
    {
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
        using var pixels = PreparedBatch.ToTensor([prepared], CPU);
        var (colourBefore, categoryBefore, taxonomyBefore) = model.forward(pixels);

        using var loaded = ModelLoader.Load(store, store.Current());
        var (colourAfter, categoryAfter, taxonomyAfter) = loaded.forward(pixels);
        Assert.True(colourBefore.allclose(colourAfter));
        Assert.True(categoryBefore.allclose(categoryAfter));
        Assert.Equal([1L, 2L], taxonomyAfter!.shape);
        Assert.True(taxonomyBefore!.allclose(taxonomyAfter));
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
        var e = Assert.Throws<ModelUnavailableException>(() => ModelLoader.Load(store, store.Get("broken")));
        Assert.Contains("broken", e.Message);
    }

    [Fact]
    public void Shipped_models_reach_existing_stores_without_overriding_a_local_choice()
    {
        using var shipped = new TempFolder();
        using var local = new TempFolder();
        var release1 = new ModelStore(shipped.Path);
        SaveUntrained(release1, "shipped-1");

        var store = new ModelStore(local.Path, shipped.Path);
        Assert.Equal("shipped-1", store.CurrentVersion());

        // A new release ships a new model: a store that serves the shipped one follows it.
        SaveUntrained(release1, "shipped-2");
        Assert.Equal("shipped-2", store.CurrentVersion());

        // A model trained locally stays current through the next release.
        SaveUntrained(store, "mine");
        SaveUntrained(release1, "shipped-3");
        Assert.Equal("mine", store.CurrentVersion());
        Assert.Contains(store.List(), m => m.Version == "shipped-3");
    }

    [Fact]
    public void An_operator_choice_of_an_earlier_shipped_model_stays_through_checks_and_releases()
    {
        using var shipped = new TempFolder();
        using var local = new TempFolder();
        var release = new ModelStore(shipped.Path);
        SaveUntrained(release, "shipped-1");
        SaveUntrained(release, "shipped-2");
        var store = new ModelStore(local.Path, shipped.Path);
        Assert.Equal("shipped-2", store.CurrentVersion());

        // The new release's model does badly on this marketplace's shops: the operator goes back to the last one.
        store.SetCurrent("shipped-1");
        Assert.Equal("shipped-1", store.CurrentVersion());
        Assert.Equal("shipped-1", new ModelStore(local.Path, shipped.Path).CurrentVersion()); // another silo's check

        SaveUntrained(release, "shipped-3");
        Assert.Equal("shipped-1", store.CurrentVersion());

        // Following again (`models follow`): the shipped model newer than the one serving is taken.
        Assert.Equal("shipped-1", store.FollowShipped());
        Assert.Equal("shipped-3", store.CurrentVersion());
    }

    [Fact]
    public void Builds_shipping_different_models_to_one_store_settle_on_the_newest()
    {
        // A rolling upgrade: silos of the old build and of the new one share the store for a while.
        using var oldBuild = new TempFolder();
        using var newBuild = new TempFolder();
        using var local = new TempFolder();
        SaveUntrained(new ModelStore(oldBuild.Path), "shipped-old");
        var oldSilo = new ModelStore(local.Path, oldBuild.Path);
        Assert.Equal("shipped-old", oldSilo.CurrentVersion());

        SaveUntrained(new ModelStore(newBuild.Path), "shipped-new");
        var newSilo = new ModelStore(local.Path, newBuild.Path);
        Assert.Equal("shipped-new", newSilo.CurrentVersion());
        Assert.Equal("shipped-new", oldSilo.CurrentVersion());
        Assert.Equal("shipped-new", newSilo.CurrentVersion());
    }

    [Fact]
    public void A_store_from_before_the_followed_record_still_follows_its_shipped_model()
    {
        using var shipped = new TempFolder();
        using var local = new TempFolder();
        var release = new ModelStore(shipped.Path);
        SaveUntrained(release, "shipped-1");
        var store = new ModelStore(local.Path, shipped.Path);
        Assert.Equal("shipped-1", store.CurrentVersion());
        File.Delete(Path.Combine(local.Path, ".followed-shipped"));

        SaveUntrained(release, "shipped-2");
        Assert.Equal("shipped-2", store.CurrentVersion());
    }

    [Fact]
    public void A_shipped_copy_cut_short_is_redone_and_unfinished_folders_are_never_versions()
    {
        using var shipped = new TempFolder();
        using var local = new TempFolder();
        SaveUntrained(new ModelStore(shipped.Path), "shipped-1");
        // An interrupted copy of the old kind (the manifest there, the weights not) and a staging folder left by a
        // process that died.
        var cut = Directory.CreateDirectory(Path.Combine(local.Path, "shipped-1")).FullName;
        File.Copy(Path.Combine(shipped.Path, "shipped-1", "manifest.json"), Path.Combine(cut, "unrelated.json"));
        var staging = Directory.CreateDirectory(Path.Combine(local.Path, ".staging-shipped-9-0123")).FullName;
        File.Copy(Path.Combine(shipped.Path, "shipped-1", "manifest.json"), Path.Combine(staging, "manifest.json"));

        var store = new ModelStore(local.Path, shipped.Path);

        Assert.Equal(["shipped-1"], store.List().Select(m => m.Version));
        Assert.Equal(
            Directory.EnumerateFiles(Path.Combine(shipped.Path, "shipped-1")).Select(Path.GetFileName).Order(),
            Directory.EnumerateFiles(cut).Select(Path.GetFileName).Where(f => f != ".shipped").Order());
        using var loaded = ColourCategoryClassifier.LoadCurrent(store);
        Assert.Equal("shipped-1", loaded.Manifest.Version);
    }

    [Fact]
    public void A_damaged_manifest_hides_only_its_own_version()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path);
        SaveUntrained(store, "good");
        SaveUntrained(store, "damaged");
        File.WriteAllText(Path.Combine(store.FolderOf("damaged"), "manifest.json"), "{ not json");

        Assert.Equal(["good"], store.List().Select(m => m.Version));
    }
}
