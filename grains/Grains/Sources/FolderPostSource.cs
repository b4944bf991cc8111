using System.Runtime.CompilerServices;
using System.Text.Json;
using Vitrina.Training.Data;

namespace Vitrina.Grains.Sources;

/// <summary>
/// Posts from a local folder: the account's folder holds one image per post (the post id is the file name without
/// extension) and optionally a side-car <c>name.json</c> with caption, timestamp and permalink.
/// </summary>
public sealed class FolderPostSource : IPostSource
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public string Kind => AccountSource.Folder;

    public async IAsyncEnumerable<SourcePost> ReadPosts(string account, AccountSource source, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var folder = source.Location;
        List<FileInfo> files;
        try
        {
            files = new DirectoryInfo(folder).EnumerateFiles()
                .Where(f => LabelledDataset.IsImageFile(f.Name) || IsExtensionless(f))
                .OrderByDescending(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            throw new PostSourceUnavailableException($"account folder {folder} cannot be read: {e.Message}", e);
        }

        foreach (var file in files)
        {
            cancellation.ThrowIfCancellationRequested();
            var postId = Path.GetFileNameWithoutExtension(file.Name);
            var sideCar = await ReadSideCar(Path.ChangeExtension(file.FullName, ".json"), cancellation);
            yield return new SourcePost(
                postId, [new SourceImage(postId, FileUri(file.FullName))], sideCar?.Caption, sideCar?.Permalink,
                sideCar?.Timestamp?.ToUniversalTime() ?? new DateTimeOffset(file.LastWriteTimeUtc));
        }
    }

    // A post file without an extension is still a post; the image grain decides whether it is an image.
    private static bool IsExtensionless(FileInfo file) => file.Extension.Length == 0;

    private static async Task<PostSideCar?> ReadSideCar(string path, CancellationToken cancellation)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = File.OpenRead(path);
            return await JsonSerializer.DeserializeAsync<PostSideCar>(stream, Json, cancellation);
        }
        catch (JsonException)
        {
            // Metadata is optional: a broken side-car loses the caption, not the post.
            return null;
        }
    }

    private sealed record PostSideCar(string? Caption, DateTimeOffset? Timestamp, string? Permalink);

    /// <summary>
    /// A file:///... URI whose original string is absolute: Orleans serialises a Uri as its original string, and a
    /// bare path like /tmp/a.jpg comes back on the other silo as a relative URI.
    /// </summary>
    private static Uri FileUri(string path) => new(new Uri(path).AbsoluteUri);
}
