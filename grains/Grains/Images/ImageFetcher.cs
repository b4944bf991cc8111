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

    /// <param name="transferLimit">
    /// How long the server may take to send the photo, at most <see cref="DownloadTimeout"/> (waiting for fetch memory
    /// not counted): past it the fetch fails as one that may pass.
    /// </param>
    public async Task<FetchedPhoto> Fetch(Uri location, CancellationToken cancellation, TimeSpan? transferLimit = null)
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
                "http" or "https" => await Download(location, transferLimit < DownloadTimeout ? transferLimit.Value : DownloadTimeout, cancellation),
                _ => throw new ImageFetchException($"unsupported image location scheme '{location.Scheme}'"),
            };
        }
        // A caller that cancelled is no failure of the photo's: its OperationCanceledException goes up as it is.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException
            && !cancellation.IsCancellationRequested)
        {
            // A missing file or a refused permission stays so; a network failure or a file held by its writer may not.
            var transient = e is HttpRequestException { InnerException: not PrivateAddressException } or TaskCanceledException
                || e is IOException and not (FileNotFoundException or DirectoryNotFoundException);
            throw new ImageFetchException($"could not read {location.GetLeftPart(UriPartial.Path)}: {e.Message}", e) { Transient = transient };
        }
    }

    private async Task<FetchedPhoto> ReadFile(Uri location, CancellationToken cancellation)
    {
        var length = new FileInfo(location.LocalPath).Length;
        if (length > ImagePreparation.MaxBytes)
        {
            throw new ImageFetchException($"{location.LocalPath} is {length / (1024 * 1024)} MB, above the {ImagePreparation.MaxBytes / (1024 * 1024)} MB limit");
        }

        // The memory first, then the file: hundreds of fetches waiting for memory must not each hold a file open.
        var size = BufferSize(length);
        var reserved = await memory.Reserve(size, cancellation);
        // No FileStream buffer: the photo's own buffer is the only copy.
        return await ReadBounded(
            () => Task.FromResult<Stream>(new FileStream(location.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous)),
            location, size, reserved, cancellation);
    }

    private async Task<FetchedPhoto> Download(Uri location, TimeSpan limit, CancellationToken cancellation)
    {
        // HttpClient's own timeout ends with the headers: a body that trickles in must not hold the photo for ever.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(limit);
        CancellationTokenSource? bodyTimeout = null;
        try
        {
            using var response = await http.CreateClient("images").GetAsync(location, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                // Instagram's CDN links are signed and die after some days: 403 "URL signature expired".
                var expired = response.StatusCode == System.Net.HttpStatusCode.Forbidden
                    && (await response.Content.ReadAsStringAsync(timeout.Token)).Contains("signature expired", StringComparison.OrdinalIgnoreCase);
                var status = (int)response.StatusCode;
                var retryAfter = response.Headers.RetryAfter is { } header ? header.Delta ?? header.Date - DateTimeOffset.UtcNow : null;
                throw new ImageFetchException($"{location.GetLeftPart(UriPartial.Path)} answered HTTP {status} {response.ReasonPhrase}" +
                    (expired ? " (link expired)" : "") + (retryAfter is { } after ? $", asking us to come back in {Math.Max(0, after.TotalSeconds):0} s" : ""))
                {
                    LinkExpired = expired,
                    Transient = status is >= 500 or 408 or 429,
                    RetryAfter = retryAfter,
                };
            }

            var length = response.Content.Headers.ContentLength;
            if (length > ImagePreparation.MaxBytes)
            {
                throw new ImageFetchException($"{location.GetLeftPart(UriPartial.Path)} is {length / (1024 * 1024)} MB, above the {ImagePreparation.MaxBytes / (1024 * 1024)} MB limit");
            }

            var size = BufferSize(length);
            var reserved = await memory.Reserve(size, cancellation);
            // Waiting for memory is no delay of the server's: the body gets its whole time from here, on a timer of its
            // own (the first may have fired during the wait, and a fired timer cannot be set again).
            bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            bodyTimeout.CancelAfter(limit);
            return await ReadBounded(() => response.Content.ReadAsStreamAsync(bodyTimeout.Token), location, size, reserved, bodyTimeout.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new ImageFetchException($"{location.GetLeftPart(UriPartial.Path)} did not arrive within {limit.TotalSeconds:0.#} s") { Transient = true };
        }
        finally
        {
            bodyTimeout?.Dispose();
        }
    }

    /// <summary>One byte more than a known length, so that the read that finds the end does not first grow the buffer.</summary>
    private static int BufferSize(long? length) => length is { } known ? (int)known + 1 : 256 * 1024;

    /// <summary>
    /// Reads a file or a download whole into a pooled buffer of <paramref name="size"/> bytes, for which
    /// <paramref name="reserved"/> bytes of the fetch memory are held: the photo takes both over, or they are given
    /// back here. A body without a length (chunked) grows the buffer as it arrives and is refused once it passes the limit.
    /// </summary>
    private async Task<FetchedPhoto> ReadBounded(Func<Task<Stream>> open, Uri location, int size, long reserved, CancellationToken cancellation)
    {
        byte[]? buffer = null;
        var filled = 0;
        var handedOver = false;
        try
        {
            await using var body = await open();
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
