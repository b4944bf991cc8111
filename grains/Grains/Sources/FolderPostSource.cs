using System.Runtime.CompilerServices;
using System.Text.Json;
using Vitrina.Training.Data;

namespace Vitrina.Grains.Sources;

/// <summary>
/// Posts from a local folder: the account's folder holds one image per post (the post id is the file name without
/// extension; files that share that name are one post's images) and optionally a side-car <c>name.json</c> with caption,
/// timestamp and permalink.
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

        // Files that differ only in their extension (a.jpg and a.png) are one post: apart, both would have the same post
        // and image id, and one photo would be lost. The first by name keeps the id a lone file gets; the others are
        // told apart by their extension. A group takes its newest file's place in the list.
        foreach (var post in files.GroupBy(f => Path.GetFileNameWithoutExtension(f.Name), StringComparer.Ordinal))
        {
            cancellation.ThrowIfCancellationRequested();
            var postId = post.Key;
            var images = post.OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select((file, i) => new SourceImage(i == 0 ? postId : file.Name, FileUri(file.FullName)))
                .ToList();
            var sideCar = await ReadSideCar(Path.Combine(folder, postId + ".json"), cancellation);
            yield return new SourcePost(
                postId, images, sideCar?.Caption, sideCar?.Permalink,
                sideCar?.Timestamp?.ToUniversalTime() ?? new DateTimeOffset(post.First().LastWriteTimeUtc));
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
