using Microsoft.Extensions.Options;

namespace Vitrina.Grains.Images;

/// <summary>
/// How much memory a silo's fetched photos may hold until they are classified. Hundreds of photos are in flight at
/// once (every account keeps several), and each waits for a core and for the classifier with its bytes in memory: at
/// Instagram's 1,080 px that is about 100 MB, but a folder of camera photos (10-20 MB each) would be gigabytes. A fetch
/// reserves the photo's size before reading it and waits, first come first served, while the photos fetched before it
/// hold the rest; the photo gives its share back once classified (<see cref="FetchedPhoto"/>): while the classifier
/// is the bottleneck, that makes fetching wait for it too.
/// </summary>
public sealed class FetchMemory
{
    private readonly object sync = new();
    private readonly LinkedList<Waiter> waiters = new();
    private readonly ImageMetrics metrics;
    private long held;

    public FetchMemory(IOptions<ImageOptions> options, ImageMetrics metrics)
        : this(options.Value.FetchMemoryMegabytes > 0 ? options.Value.FetchMemoryMegabytes * 1024L * 1024 : Automatic(), metrics)
    {
    }

    public FetchMemory(long limit, ImageMetrics metrics)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        Limit = limit;
        this.metrics = metrics;
    }

    /// <summary>The limit in bytes: a photo larger than it waits until no other fetched photo holds memory.</summary>
    public long Limit { get; }

    /// <summary>Bytes reserved by fetched photos now.</summary>
    public long Held
    {
        get
        {
            lock (sync)
            {
                return held;
            }
        }
    }

    /// <summary>
    /// A sixteenth of the memory the process may use (a container's limit where it has one), between 64 MB and 512 MB:
    /// room for hundreds to thousands of Instagram photos, more than the cores can prepare in a second, while the rest
    /// stays for decoding, batches and the model.
    /// </summary>
    public static long Automatic() =>
        Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 16, 64L * 1024 * 1024, 512L * 1024 * 1024);

    /// <summary>Waits until <paramref name="bytes"/> (at most the whole limit) fit; returns what was reserved, to give back with <see cref="Release"/>.</summary>
    public async ValueTask<long> Reserve(long bytes, CancellationToken cancellation)
    {
        var wanted = Math.Clamp(bytes, 0, Limit);
        Waiter waiter;
        lock (sync)
        {
            // Nobody overtakes a waiting fetch, or a large photo could wait for ever behind a stream of small ones.
            if (waiters.Count == 0 && held + wanted <= Limit)
            {
                held += wanted;
                return wanted;
            }

            waiter = new Waiter(wanted);
            waiter.Node = waiters.AddLast(waiter);
        }

        metrics.RecordFetchMemoryWait();
        await using (cancellation.Register(() => Cancel(waiter, cancellation)))
        {
            await waiter.Granted.Task;
        }

        return wanted;
    }

    /// <summary>
    /// Adds to a photo's reservation without waiting: a body of unknown length growing into a larger buffer. Waiting there
    /// could deadlock (every growing photo holding a part, each waiting for another's); such bodies are rare, since
    /// Instagram's and most servers' downloads state their length.
    /// </summary>
    public long Grow(long bytes)
    {
        lock (sync)
        {
            held += bytes;
        }

        return bytes;
    }

    public void Release(long bytes)
    {
        lock (sync)
        {
            held -= bytes;
            GrantWaiting();
        }
    }

    private void Cancel(Waiter waiter, CancellationToken cancellation)
    {
        lock (sync)
        {
            if (waiter.Node?.List is null)
            {
                return; // granted already: the caller gives it back
            }

            waiters.Remove(waiter.Node);
            waiter.Granted.TrySetCanceled(cancellation);
            GrantWaiting(); // it may have been the large one at the head
        }
    }

    private void GrantWaiting()
    {
        while (waiters.First is { } first && held + first.Value.Bytes <= Limit)
        {
            held += first.Value.Bytes;
            waiters.RemoveFirst();
            first.Value.Granted.TrySetResult();
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        // Continuations run elsewhere, not inside the lock of whoever released memory.
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
