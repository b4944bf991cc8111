using System.Text.Json;
using Vitrina.Training.Models;

namespace Vitrina.Training.Store;

/// <summary>
/// Versioned models on disk: one folder per version (manifest.json + weights) and a `current` file naming the version
/// in service. Stores that name a shipped folder take in the models shipped beside the assemblies, and serve a newer
/// shipped model until someone chooses a version (`vitrina models use`, a retraining's publication).
/// </summary>
public sealed class ModelStore
{
    private const string CurrentFile = "current";
    private const string ManifestFile = "manifest.json";
    private const string ShippedMarker = ".shipped";

    /// <summary>
    /// The shipped version the store last made current on its own; empty once someone chose a version. Without it an
    /// operator's choice of an earlier shipped version could not be told from the store's own following, and was
    /// undone at the next check.
    /// </summary>
    private const string FollowedFile = ".followed-shipped";

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
        // A folder with a damaged manifest is left out rather than hiding every other version.
        return Directory.EnumerateDirectories(Root)
            .Where(d => !Path.GetFileName(d).StartsWith('.') && File.Exists(Path.Combine(d, ManifestFile))) // not staging folders
            .Select(d => TryReadManifest(d))
            .OfType<ModelManifest>()
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

    /// <summary>A version's folder; a name that is not one folder inside the store (<c>../x</c>, <c>/tmp/x</c>) is refused.</summary>
    public string FolderOf(string version) =>
        version is { Length: > 0 } && version != "." && version != ".." && version.IndexOfAny(['/', '\\']) < 0
            ? Path.Combine(Root, version)
            : throw new FileNotFoundException($"'{version}' is not a model version name: versions are folders inside the store at {Root}.");

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
    public ModelManifest Save(ModelManifest manifest, ColourCategoryModel model, Action<string>? addFiles = null, bool makeCurrent = true)
    {
        Directory.CreateDirectory(Root);
        var staging = Path.Combine(Root, $".staging-{manifest.Version}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            model.SaveWeights(staging);
            addFiles?.Invoke(staging);
            File.WriteAllText(Path.Combine(staging, ManifestFile), JsonSerializer.Serialize(manifest, ModelManifest.Json));
            Directory.Move(staging, FolderOf(manifest.Version));
        }
        finally
        {
            DeleteIfLeft(staging);
        }

        if (makeCurrent)
        {
            SetCurrent(manifest.Version);
        }

        return manifest;
    }

    /// <summary>Makes <paramref name="version"/> current; the store no longer follows the models shipped with new builds.</summary>
    public void SetCurrent(string version)
    {
        Get(version);
        using var held = PointerLock();
        Choose(version);
    }

    /// <summary>
    /// Makes <paramref name="version"/> current only while <paramref name="expected"/> still is: a version judged against
    /// the one in service must not replace another that an operator or a training run made current meanwhile.
    /// </summary>
    /// <returns>False, changing nothing, when another version is current now.</returns>
    public bool SetCurrentIf(string expected, string version)
    {
        Get(version);
        using var held = PointerLock();
        if (ReadPointer() is { } current && current != expected) // no pointer: nothing was made current since
        {
            return false;
        }

        Choose(version);
        return true;
    }

    /// <summary>
    /// Undoes a choice: the version current now is taken as followed, so the next model shipped after it is served again
    /// (an operator who went back to an earlier build's model with <see cref="SetCurrent"/>, and now wants upgrades'
    /// models again).
    /// </summary>
    /// <returns>The version current now.</returns>
    public string? FollowShipped()
    {
        if (!TakesInShipped)
        {
            throw new InvalidOperationException($"The model store at {Root} takes in no shipped models: there is nothing to follow.");
        }

        SyncShipped(); // an empty store is seeded (and so exists) first
        using var held = PointerLock();
        var current = ReadPointer();
        WriteAside(FollowedFile, current ?? "");
        return current;
    }

    /// <summary>Under <see cref="PointerLock"/>: a version someone chose, which shipped models never replace.</summary>
    private void Choose(string version)
    {
        if (TakesInShipped)
        {
            WriteAside(FollowedFile, "");
        }

        WriteAside(CurrentFile, version);
    }

    private bool TakesInShipped => shipped is not null && shipped != Root;

    private string? ReadPointer()
    {
        var pointer = Path.Combine(Root, CurrentFile);
        return File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : null;
    }

    /// <summary>Under <see cref="PointerLock"/>: written aside and moved over the file, which readers never see half-written.</summary>
    private void WriteAside(string file, string text)
    {
        var temporary = Path.Combine(Root, $".{file.TrimStart('.')}.{Guid.NewGuid():N}");
        File.WriteAllText(temporary, text);
        File.Move(temporary, Path.Combine(Root, file), overwrite: true);
    }

    /// <summary>
    /// Serialises read-decide-write turns on the pointer across processes (silos, the CLI, the training grain): an
    /// exclusive open is an advisory file lock on Linux. Readers do not take it.
    /// </summary>
    private FileStream PointerLock()
    {
        var path = Path.Combine(Root, ".current.lock");
        for (var waited = TimeSpan.Zero; ; waited += TimeSpan.FromMilliseconds(10))
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited < TimeSpan.FromSeconds(10) && File.Exists(path))
            {
                Thread.Sleep(10); // another process is moving the pointer: milliseconds
            }
        }
    }

    /// <summary>
    /// Brings in shipped versions the store lacks. The current pointer follows a newer shipped one while it points at
    /// the shipped version it followed last (or nowhere), so an update of the shipped model reaches existing stores; a
    /// version trained locally or chosen by an operator stays current.
    /// </summary>
    private void SyncShipped()
    {
        Directory.CreateDirectory(Root);
        if (!TakesInShipped || !Directory.Exists(shipped))
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

            // Copied aside and moved into place whole: a copy cut short (Ctrl-C, a silo and the CLI seeding the store
            // at once) must never look like a version.
            var staging = Path.Combine(Root, $".staging-{Path.GetFileName(version)}-{Guid.NewGuid():N}");
            try
            {
                Directory.CreateDirectory(staging);
                foreach (var file in Directory.EnumerateFiles(version))
                {
                    File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
                }

                File.WriteAllText(Path.Combine(staging, ShippedMarker), "copied from the models that ship with Vitrina");
                if (File.Exists(Path.Combine(target, ManifestFile)))
                {
                    continue; // another process brought it in while this one copied
                }

                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true); // a manifest-less leftover of an interrupted copy
                }

                Directory.Move(staging, target);
            }
            catch (IOException) when (File.Exists(Path.Combine(target, ManifestFile)))
            {
                // Another process brought the same version in first.
            }
            finally
            {
                DeleteIfLeft(staging);
            }
        }

        var shippedCurrent = Path.Combine(shipped, CurrentFile);
        if (File.Exists(shippedCurrent) && File.ReadAllText(shippedCurrent).Trim() is var wanted && FollowsShipped(wanted))
        {
            // Decided again under the lock: a version published between the first look and the write stays current.
            using var held = PointerLock();
            if (FollowsShipped(wanted))
            {
                // The record first: a process stopped between the two writes leaves a record naming the version it
                // was moving to, which the next check still follows.
                WriteAside(FollowedFile, wanted);
                WriteAside(CurrentFile, wanted);
            }
        }
    }

    /// <summary>
    /// Whether the pointer should move to the shipped current <paramref name="wanted"/>: it names no version, or the
    /// shipped one the store followed last and one created before <paramref name="wanted"/>. Created before: while a
    /// rolling upgrade runs builds shipping different models against one store, the pointer settles on the newest
    /// instead of flipping at every check. Silos check every few seconds, so the pointer is rewritten only when it moves.
    /// </summary>
    private bool FollowsShipped(string wanted)
    {
        if (ReadPointer() is not { } current)
        {
            return true;
        }

        if (current == wanted)
        {
            return false;
        }

        // A store written before the record existed followed any shipped version it pointed at.
        var followed = File.Exists(Path.Combine(Root, FollowedFile))
            ? File.ReadAllText(Path.Combine(Root, FollowedFile)).Trim()
            : File.Exists(Path.Combine(Root, current, ShippedMarker)) ? current : "";
        if (followed.Length == 0 || (followed != current && followed != wanted))
        {
            return false;
        }

        var serving = TryReadManifest(Path.Combine(Root, current));
        return serving is null || TryReadManifest(Path.Combine(Root, wanted)) is { } next && next.CreatedAt > serving.CreatedAt;
    }

    private static void DeleteIfLeft(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ModelManifest? TryReadManifest(string folder)
    {
        try
        {
            return ReadManifest(folder);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return null;
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
