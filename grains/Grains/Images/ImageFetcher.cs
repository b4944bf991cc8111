using Vitrina.Training.Images;

namespace Vitrina.Grains.Images;

/// <summary>Reads an image's bytes from a file:// or http(s):// location, refusing anything above the size limit.</summary>
public sealed class ImageFetcher(IHttpClientFactory http)
{
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or TaskCanceledException)
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
        using var response = await http.CreateClient("images").GetAsync(location, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
        {
            // Instagram's CDN links are signed and die after some days: 403 "URL signature expired".
            var expired = response.StatusCode == System.Net.HttpStatusCode.Forbidden
                && (await response.Content.ReadAsStringAsync(cancellation)).Contains("signature expired", StringComparison.OrdinalIgnoreCase);
            throw new ImageFetchException($"{location.GetLeftPart(UriPartial.Path)} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}" +
                (expired ? " (link expired)" : ""))
            {
                LinkExpired = expired,
            };
        }

        if (response.Content.Headers.ContentLength > ImagePreparation.MaxBytes)
        {
            throw new ImageFetchException($"{location} is {response.Content.Headers.ContentLength / (1024 * 1024)} MB, above the limit");
        }

        return await response.Content.ReadAsByteArrayAsync(cancellation);
    }
}
