using Vitrina.Training.Images;

namespace Vitrina.Grains.Images;

/// <summary>Reads an image's bytes from a file:// or http(s):// location, refusing anything above the size limit.</summary>
public sealed class ImageFetcher(IHttpClientFactory http)
{
    private static readonly TimeSpan DownloadTimeout = TimeSpan.FromSeconds(60);

    public async Task<byte[]> Fetch(Uri location, CancellationToken cancellation)
    {
        if (!location.IsAbsoluteUri)
        {
            throw new ImageFetchException($"image location '{location}' is not an absolute file:// or http(s):// URI");
        }

        try
        {
            return location.Scheme switch
            {
                "file" => await ReadFile(location.LocalPath, cancellation),
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

    private static async Task<byte[]> ReadFile(string path, CancellationToken cancellation)
    {
        var length = new FileInfo(path).Length;
        if (length > ImagePreparation.MaxBytes)
        {
            throw new ImageFetchException($"{path} is {length / (1024 * 1024)} MB, above the {ImagePreparation.MaxBytes / (1024 * 1024)} MB limit");
        }

        return await File.ReadAllBytesAsync(path, cancellation);
    }

    private async Task<byte[]> Download(Uri location, CancellationToken cancellation)
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

    /// <summary>A body without a length (chunked) is counted as it arrives and refused once it passes the limit.</summary>
    private static async Task<byte[]> ReadBounded(Stream body, Uri location, long? length, CancellationToken cancellation)
    {
        using var bytes = new MemoryStream(length is { } known ? (int)known : 256 * 1024);
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (bytes.Length + read > ImagePreparation.MaxBytes)
            {
                throw new ImageFetchException($"{location.GetLeftPart(UriPartial.Path)} sent more than the {ImagePreparation.MaxBytes / (1024 * 1024)} MB limit");
            }

            bytes.Write(chunk, 0, read);
        }

        // With an exact Content-Length the stream's own buffer is the photo: no second copy.
        return bytes.Length == bytes.Capacity ? bytes.GetBuffer() : bytes.ToArray();
    }
}
