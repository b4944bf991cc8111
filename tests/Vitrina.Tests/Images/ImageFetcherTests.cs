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
                try
                {
                    for (long sent = 0; sent < size; sent += 64 * 1024)
                    {
                        var block = Pattern(sent, (int)Math.Min(64 * 1024, size - sent));
                        await context.Response.OutputStream.WriteAsync(block);
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
        var memory = new FetchMemory(64 * 1024 * 1024, new ImageMetrics());
        var fetcher = new ImageFetcher(services.GetRequiredService<IHttpClientFactory>(), memory);

        var small = await fetcher.Fetch(new Uri($"http://127.0.0.1:{port}/small.jpg"), CancellationToken.None);
        var huge = await Assert.ThrowsAsync<ImageFetchException>(() => fetcher.Fetch(new Uri($"http://127.0.0.1:{port}/huge.jpg"), CancellationToken.None));
        Assert.True(memory.Held >= 300_000, $"the grown body holds {memory.Held} bytes of the silo's fetch memory");

        // Past the first 256 kB buffer: the bytes survive the move into a larger one.
        Assert.Equal(300_000, small.Length);
        Assert.True(small.Span.SequenceEqual(Pattern(0, 300_000)));
        Assert.Contains("huge.jpg sent more than the 50 MB limit", huge.Message);
        small.Dispose();
        Assert.Equal(0, memory.Held); // the refused body's memory went back too
        await serving.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Bytes that differ from their neighbours, so a block copied to the wrong place shows.</summary>
    private static byte[] Pattern(long offset, int length) => Enumerable.Range(0, length).Select(i => (byte)((offset + i) % 251)).ToArray();

    [Fact]
    public async Task A_file_is_read_whole_into_the_photo_and_its_buffer_goes_back_once()
    {
        await using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var memory = new FetchMemory(64 * 1024 * 1024, new ImageMetrics());
        var fetcher = new ImageFetcher(services.GetRequiredService<IHttpClientFactory>(), memory);
        using var folder = new Support.TempFolder();
        var file = Path.Combine(folder.Path, "photo.jpg");
        await File.WriteAllBytesAsync(file, Pattern(0, 200_000));

        var photo = await fetcher.Fetch(new Uri(file), CancellationToken.None);

        Assert.True(photo.Span.SequenceEqual(Pattern(0, 200_000)));
        Assert.Equal(Pattern(0, 200_000), photo.ToArray());
        photo.Dispose();
        photo.Dispose(); // a second dispose must not hand the buffer to the pool twice
        Assert.Throws<ObjectDisposedException>(() => photo.Span.Length);
        Assert.Equal(0, memory.Held); // released once, not twice
    }

    [Theory]
    [InlineData("file")]
    [InlineData("http")]
    public async Task A_fetch_waits_while_the_photos_fetched_before_it_hold_the_silos_fetch_memory(string second)
    {
        await using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var metrics = new ImageMetrics();
        var memory = new FetchMemory(300_000, metrics);
        var fetcher = new ImageFetcher(services.GetRequiredService<IHttpClientFactory>(), memory);
        using var folder = new Support.TempFolder();
        var files = Enumerable.Range(0, 2).Select(i => Path.Combine(folder.Path, $"photo{i}.jpg")).ToList();
        foreach (var file in files)
        {
            await File.WriteAllBytesAsync(file, Pattern(0, 200_000));
        }

        var port = FreePorts.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = second == "http" ? ServeOnce(listener, Pattern(0, 200_000)) : Task.CompletedTask;

        var first = await fetcher.Fetch(new Uri(files[0]), CancellationToken.None);
        var waiting = fetcher.Fetch(second == "http" ? new Uri($"http://127.0.0.1:{port}/photo1.jpg") : new Uri(files[1]), CancellationToken.None);
        // Waiting, as the counter says, rather than slow: a delay would pass on a slow machine with the gate broken.
        Assert.True(SpinWait.SpinUntil(() => metrics.FetchMemoryWaitCount == 1 || waiting.IsCompleted, TimeSpan.FromSeconds(10)));
        Assert.False(waiting.IsCompleted, "the second photo was read while the first held two thirds of the memory");

        first.Dispose(); // prepared: its memory goes to the waiting fetch
        using (var read = await waiting.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.True(read.Span.SequenceEqual(Pattern(0, 200_000)));
        }

        Assert.Equal(0, memory.Held);
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Answers one request with <paramref name="body"/> and its Content-Length.</summary>
    private static async Task ServeOnce(HttpListener listener, byte[] body)
    {
        var context = await listener.GetContextAsync();
        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
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
        var memory = new FetchMemory(64 * 1024 * 1024, new ImageMetrics());
        var fetcher = new ImageFetcher(services.GetRequiredService<IHttpClientFactory>(), memory);
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
