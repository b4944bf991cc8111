using System.Text.Json;
using Vitrina.Training.Models;

namespace Vitrina.Training.Store;

/// <summary>
/// Versioned models on disk: one folder per version (manifest.json + weights) and a `current` file naming the version
/// in service. Stores that name a shipped folder take in the models shipped beside the assemblies.
/// </summary>
public sealed class ModelStore
{
    private const string CurrentFile = "current";
    private const string ManifestFile = "manifest.json";
    private const string ShippedMarker = ".shipped";

    /// <param name="shipped">Where shipped models are (usually <see cref="ShippedRoot"/>); null for a store of its own.</param>
    public ModelStore(string root, string? shipped = null)
    {
        Root = Path.GetFullPath(root);
        this.shipped = shipped is null ? null : Path.GetFullPath(shipped);
    }

    private readonly string? shipped;

    public string Root { get; }

    /// <summary>Models that ship with the build (training/models in the repository).</summary>
    public static string ShippedRoot => Path.Combine(AppContext.BaseDirectory, "models");

    public IReadOnlyList<ModelManifest> List()
    {
        SyncShipped();
        return Directory.EnumerateDirectories(Root)
            .Where(d => File.Exists(Path.Combine(d, ManifestFile)))
            .Select(d => ReadManifest(d))
            .OrderBy(m => m.CreatedAt)
            .ToList();
    }

    public string? CurrentVersion()
    {
        SyncShipped();
        var pointer = Path.Combine(Root, CurrentFile);
        return File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : List().LastOrDefault()?.Version;
    }

    public ModelManifest Current() =>
        Get(CurrentVersion() ?? throw new ModelUnavailableException(
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

    /// <summary>A version name for a model trained now: UTC time and architecture, numbered when the second is taken.</summary>
    public string NewVersion(string kind)
    {
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{kind}";
        var candidate = name;
        for (var n = 2; Directory.Exists(FolderOf(candidate)); n++)
        {
            candidate = $"{name}-{n}";
        }

        return candidate;
    }

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

    /// <summary>
    /// Brings in shipped versions the store lacks. The current pointer follows the shipped one while it points at a
    /// shipped version (or nowhere), so an update of the shipped model reaches existing stores; a version trained or
    /// chosen locally stays current.
    /// </summary>
    private void SyncShipped()
    {
        Directory.CreateDirectory(Root);
        if (shipped is null || !Directory.Exists(shipped) || shipped == Root)
        {
            return;
        }

        foreach (var version in Directory.EnumerateDirectories(shipped))
        {
            var target = Path.Combine(Root, Path.GetFileName(version));
            if (File.Exists(Path.Combine(target, ManifestFile)))
            {
                continue;
            }

            Directory.CreateDirectory(target);
            foreach (var file in Directory.EnumerateFiles(version))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
            }

            File.WriteAllText(Path.Combine(target, ShippedMarker), "copied from the models that ship with Vitrina");
        }

        var shippedCurrent = Path.Combine(shipped, CurrentFile);
        var pointer = Path.Combine(Root, CurrentFile);
        var current = File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : null;
        if (File.Exists(shippedCurrent) && (current is null || File.Exists(Path.Combine(Root, current, ShippedMarker))))
        {
            File.Copy(shippedCurrent, pointer, overwrite: true);
        }
    }

    private static ModelManifest ReadManifest(string folder)
    {
        var path = Path.Combine(folder, ManifestFile);
        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), ModelManifest.Json)
                ?? throw new InvalidDataException($"Empty manifest in {folder}.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a readable model manifest: {e.Message}", e);
        }
    }
}
