using System.Text.Json;
using Vitrina.Training.Models;

namespace Vitrina.Training.Store;

/// <summary>
/// Versioned models on disk: one folder per version (manifest.json + weights) and a `current` file naming the version
/// in service. An empty store is seeded with the model shipped beside the assemblies.
/// </summary>
public sealed class ModelStore
{
    private const string CurrentFile = "current";
    private const string ManifestFile = "manifest.json";

    public ModelStore(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>Models that ship with the build (training/models in the repository).</summary>
    public static string ShippedRoot => Path.Combine(AppContext.BaseDirectory, "models");

    public IReadOnlyList<ModelManifest> List()
    {
        SeedIfEmpty();
        return Directory.EnumerateDirectories(Root)
            .Where(d => File.Exists(Path.Combine(d, ManifestFile)))
            .Select(d => ReadManifest(d))
            .OrderBy(m => m.CreatedAt)
            .ToList();
    }

    public string? CurrentVersion()
    {
        SeedIfEmpty();
        var pointer = Path.Combine(Root, CurrentFile);
        return File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : List().LastOrDefault()?.Version;
    }

    public ModelManifest Current() =>
        Get(CurrentVersion() ?? throw new InvalidOperationException(
            $"The model store at {Root} holds no model. Train one with `vitrina train` or restore the shipped one (training/models)."));

    public ModelManifest Get(string version)
    {
        var folder = FolderOf(version);
        if (!File.Exists(Path.Combine(folder, ManifestFile)))
        {
            throw new FileNotFoundException($"Model version '{version}' is not in the store at {Root}.");
        }

        return ReadManifest(folder);
    }

    public string FolderOf(string version) => Path.Combine(Root, version);

    /// <summary>Saves a trained model as a new version (written to a temporary folder first, then moved into place).</summary>
    public ModelManifest Save(ModelManifest manifest, CatalogueModel model, Action<string>? addFiles = null, bool makeCurrent = true)
    {
        Directory.CreateDirectory(Root);
        var staging = Path.Combine(Root, $".staging-{manifest.Version}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        model.SaveWeights(staging);
        addFiles?.Invoke(staging);
        File.WriteAllText(Path.Combine(staging, ManifestFile), JsonSerializer.Serialize(manifest, ModelManifest.Json));
        Directory.Move(staging, FolderOf(manifest.Version));
        if (makeCurrent)
        {
            SetCurrent(manifest.Version);
        }

        return manifest;
    }

    public void SetCurrent(string version)
    {
        Get(version);
        var temporary = Path.Combine(Root, $".{CurrentFile}.{Guid.NewGuid():N}");
        File.WriteAllText(temporary, version);
        File.Move(temporary, Path.Combine(Root, CurrentFile), overwrite: true);
    }

    private void SeedIfEmpty()
    {
        Directory.CreateDirectory(Root);
        if (Directory.EnumerateDirectories(Root).Any(d => File.Exists(Path.Combine(d, ManifestFile))) ||
            !Directory.Exists(ShippedRoot) || Path.GetFullPath(ShippedRoot) == Root)
        {
            return;
        }

        foreach (var shipped in Directory.EnumerateDirectories(ShippedRoot))
        {
            var target = Path.Combine(Root, Path.GetFileName(shipped));
            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(shipped))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }
        }

        var shippedCurrent = Path.Combine(ShippedRoot, CurrentFile);
        if (File.Exists(shippedCurrent))
        {
            File.Copy(shippedCurrent, Path.Combine(Root, CurrentFile), overwrite: true);
        }
    }

    private static ModelManifest ReadManifest(string folder) =>
        JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(Path.Combine(folder, ManifestFile)), ModelManifest.Json)
        ?? throw new InvalidDataException($"Empty manifest in {folder}.");
}
