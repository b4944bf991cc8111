using System.Buffers;
using Vitrina.Training.Images;

namespace Vitrina.Grains.Images;

/// <summary>
/// Reads an image's bytes from a file:// or http(s):// location into a pooled buffer (<see cref="FetchedPhoto"/>),
/// refusing anything above the size limit, once the silo's <see cref="FetchMemory"/> has room for it.
/// </summary>
public sealed class ImageFetcher(IHttpClientFactory http, FetchMemory memory)
{
    private static readonly TimeSpan DownloadTimeout = TimeSpan.FromSeconds(60);

    public async Task<FetchedPhoto> Fetch(Uri location, CancellationToken cancellation)
    {
        if (!location.IsAbsoluteUri)
        {
            throw new ImageFetchException($"image location '{location}' is not an absolute file:// or http(s):// URI");
        }

        try
        {
            return location.Scheme switch
            {
                "file" => await ReadFile(location, cancellation),
                "http" or "https" => await Download(location, cancellation),
                _ => throw new ImageFetchException($"unsupported image location scheme '{location.Scheme}'"),
            };
        }
        // A caller that cancelled is no failure of the photo's: its OperationCanceledException goes up as it is.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException
            && !cancellation.IsCancellationRequested)
        {
            throw new ImageFetchException($"could not read {location}: {e.Message}", e);
        }
    }

    private async Task<FetchedPhoto> ReadFile(Uri location, CancellationToken cancellation)
    {
        // No FileStream buffer: the photo's own buffer is the only copy.
        await using var file = new FileStream(location.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
        if (file.Length > ImagePreparation.MaxBytes)
        {
            throw new ImageFetchException($"{location.LocalPath} is {file.Length / (1024 * 1024)} MB, above the {ImagePreparation.MaxBytes / (1024 * 1024)} MB limit");
        }

        return await ReadBounded(file, location, file.Length, cancellation);
    }

    private async Task<FetchedPhoto> Download(Uri location, CancellationToken cancellation)
    {
        // HttpClient's own timeout ends with the headers: a body that trickles in must not hold the photo for ever.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(DownloadTimeout);
        try
        {
            using var response = await http.CreateClient("images").GetAsync(location, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                // Instagram's CDN links are signed and die after some days: 403 "URL signature expired".
                var expired = response.StatusCode == System.Net.HttpStatusCode.Forbidden
                    && (await response.Content.ReadAsStringAsync(timeout.Token)).Contains("signature expired", StringComparison.OrdinalIgnoreCase);
                throw new ImageFetchException($"{location.GetLeftPart(UriPartial.Path)} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}" +
                    (expired ? " (link expired)" : ""))
                {
                    LinkExpired = expired,
                };
            }

            var length = response.Content.Headers.ContentLength;
            if (length > ImagePreparation.MaxBytes)
            {
                throw new ImageFetchException($"{location.GetLeftPart(UriPartial.Path)} is {length / (1024 * 1024)} MB, above the {ImagePreparation.MaxBytes / (1024 * 1024)} MB limit");
            }

            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await ReadBounded(body, location, length, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw new ImageFetchException($"{location.GetLeftPart(UriPartial.Path)} did not arrive within {DownloadTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>
    /// Reads a file or a download whole into a pooled buffer, sized by its length where known. A body without a length
    /// (chunked) is counted as it arrives and refused once it passes the limit.
    /// </summary>
    private async Task<FetchedPhoto> ReadBounded(Stream body, Uri location, long? length, CancellationToken cancellation)
    {
        // One byte more than a known length, so that the read that finds the end does not first grow the buffer.
        var size = length is { } known ? (int)known + 1 : 256 * 1024;
        var reserved = await memory.Reserve(size, cancellation);
        byte[]? buffer = null;
        var filled = 0;
        var handedOver = false;
        try
        {
            buffer = ArrayPool<byte>.Shared.Rent(size);
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(filled), cancellation)) > 0)
            {
                filled += read;
                if (filled > ImagePreparation.MaxBytes)
                {
                    throw new ImageFetchException($"{location.GetLeftPart(UriPartial.Path)} sent more than the {ImagePreparation.MaxBytes / (1024 * 1024)} MB limit");
                }

                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, ImagePreparation.MaxBytes + 1));
                    reserved += memory.Grow(larger.Length - size);
                    size = larger.Length;
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }

            var photo = new FetchedPhoto(buffer, filled, memory, reserved);
            handedOver = true; // the photo returns the buffer and releases the memory
            return photo;
        }
        finally
        {
            if (!handedOver)
            {
                if (buffer is not null)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                memory.Release(reserved);
            }
        }
    }
}
