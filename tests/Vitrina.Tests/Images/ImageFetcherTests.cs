using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vitrina.ClusterHarness;
using Vitrina.Grains.Images;
using Vitrina.Training.Images;

namespace Vitrina.Tests.Images;

public sealed class ImageFetcherTests
{
    [Fact]
    public async Task A_chunked_body_is_read_whole_below_the_limit_and_refused_above_it()
    {
        var port = FreePorts.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                var context = await listener.GetContextAsync();
                // No Content-Length: the size is only known once the body has been read.
                context.Response.SendChunked = true;
                var size = context.Request.Url!.AbsolutePath == "/small.jpg" ? 300_000 : ImagePreparation.MaxBytes + 1;
                var block = new byte[64 * 1024];
                try
                {
                    for (long sent = 0; sent < size; sent += block.Length)
                    {
                        await context.Response.OutputStream.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, size - sent)));
                    }

                    context.Response.Close();
                }
                catch (HttpListenerException)
                {
                    // The fetcher hung up once the body passed the limit.
                }
            }
        });
        await using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var fetcher = new ImageFetcher(services.GetRequiredService<IHttpClientFactory>());

        var small = await fetcher.Fetch(new Uri($"http://127.0.0.1:{port}/small.jpg"), CancellationToken.None);
        var huge = await Assert.ThrowsAsync<ImageFetchException>(() => fetcher.Fetch(new Uri($"http://127.0.0.1:{port}/huge.jpg"), CancellationToken.None));

        Assert.Equal(300_000, small.Length);
        Assert.Contains("huge.jpg sent more than the 50 MB limit", huge.Message);
        await serving.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_fetch_its_caller_cancels_ends_as_cancelled_and_not_as_a_failed_photo()
    {
        var port = FreePorts.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        _ = listener.GetContextAsync(); // takes the request and never answers
        await using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var fetcher = new ImageFetcher(services.GetRequiredService<IHttpClientFactory>());
        using var folder = new Support.TempFolder();
        var file = Path.Combine(folder.Path, "photo.jpg");
        await File.WriteAllBytesAsync(file, new byte[1000]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var soon = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        // An ImageFetchException would file the photo as Failed; a caller that stopped waiting must file nothing.
        var download = await Record.ExceptionAsync(() => fetcher.Fetch(new Uri($"http://127.0.0.1:{port}/slow.jpg"), soon.Token));
        var read = await Record.ExceptionAsync(() => fetcher.Fetch(new Uri(file), cancelled.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(download);
        Assert.IsAssignableFrom<OperationCanceledException>(read);
    }
}
