using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vitrina.FakeGraphApi;

/// <summary>
/// The image CDN behind <c>media_url</c>: links signed with an expiry (<c>?exp=...&amp;sig=...</c>); an expired link
/// answers 403 "URL signature expired", as Instagram's does, and images are small JPEGs coloured by media id.
/// </summary>
internal sealed class FakeCdn(FakeInstagram world, FakeGraphOptions options, FakeGraphCounters counters)
{
    public const string ExpiredMessage = "URL signature expired";

    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, byte[]> jpegs = new();

    public string Link(HttpRequest request, string mediaId, string extension)
    {
        var expires = (world.Clock.GetUtcNow() + options.ImageUrlLifetime).ToUnixTimeSeconds();
        return $"{request.Scheme}://{request.Host}/cdn/{mediaId}.{extension}?exp={expires}&sig={Sign(mediaId, expires)}";
    }

    public async Task<IResult> Serve(string file, string? exp, string? sig, HttpResponse response, CancellationToken aborted)
    {
        if (options.ImageDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.ImageDelay, aborted);
        }

        if (options.CdnStatus is { } status)
        {
            counters.CdnRefused();
            if (options.CdnRetryAfter is { } after)
            {
                response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            return Results.Text("upstream connect error or disconnect/reset before headers", "text/plain", statusCode: status);
        }

        var mediaId = Path.GetFileNameWithoutExtension(file);
        if (!long.TryParse(exp, CultureInfo.InvariantCulture, out var expires) || sig != Sign(mediaId, expires))
        {
            return Results.Text("URL signature mismatch", "text/plain", statusCode: 403);
        }

        if (world.Clock.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            counters.ExpiredLink();
            return Results.Text(ExpiredMessage, "text/plain", statusCode: 403);
        }

        if (world.FindMedia(mediaId) is not { Deleted: false })
        {
            return Results.NotFound();
        }

        counters.ImageServed();
        return Path.GetExtension(file) == ".mp4"
            ? Results.Bytes("not really a video"u8.ToArray(), "video/mp4")
            : Results.Bytes(jpegs.GetOrAdd(mediaId, Jpeg), "image/jpeg");
    }

    private string Sign(string mediaId, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{mediaId}:{expires}")))[..32];

    // A pale background with a coloured block in the middle: enough to decode and to classify, cheap to make.
    private static byte[] Jpeg(string mediaId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(mediaId));
        var colour = new Rgb24(hash[0], hash[1], hash[2]);
        using var image = new Image<Rgb24>(96, 96, new Rgb24(235, 235, 230));
        for (var y = 16; y < 80; y++)
        {
            for (var x = 24; x < 72; x++)
            {
                image[x, y] = colour;
            }
        }

        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }
}
