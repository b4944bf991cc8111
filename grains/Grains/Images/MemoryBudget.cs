namespace Vitrina.Grains.Images;

/// <summary>
/// Memory that a silo's photos may hold at one stage of their journey, reserved before they take it: a reservation
/// that does not fit waits, first come first served, until earlier ones are given back. Two stages have one each:
/// photos fetched and not yet classified (<see cref="FetchMemory"/>) and photos being decoded (<see cref="DecodeMemory"/>).
/// </summary>
public abstract class MemoryBudget
{
    private readonly object sync = new();
    private readonly LinkedList<Waiter> waiters = new();
    private long held;

    protected MemoryBudget(long limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        Limit = limit;
    }

    /// <summary>The limit in bytes: a reservation larger than it waits until nothing else is held, then takes it all.</summary>
    public long Limit { get; }

    /// <summary>Bytes reserved now.</summary>
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
    /// A sixteenth of the memory the process may use (a container's limit where it has one), between 64 MB and 512 MB,
    /// unless the setting <paramref name="megabytes"/> names a size.
    /// </summary>
    public static long SizeFor(int megabytes) => megabytes > 0
        ? megabytes * 1024L * 1024
        : Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 16, 64L * 1024 * 1024, 512L * 1024 * 1024);

    /// <summary>Waits until <paramref name="bytes"/> (at most the whole limit) fit; returns what was reserved, to give back with <see cref="Release"/>.</summary>
    public async ValueTask<long> Reserve(long bytes, CancellationToken cancellation)
    {
        var wanted = Math.Clamp(bytes, 0, Limit);
        Waiter waiter;
        lock (sync)
        {
            // Nobody overtakes a waiting reservation, or a large photo could wait for ever behind a stream of small ones.
            if (waiters.Count == 0 && held + wanted <= Limit)
            {
                held += wanted;
                return wanted;
            }

            waiter = new Waiter(wanted);
            waiter.Node = waiters.AddLast(waiter);
        }

        RecordWait();
        await using (cancellation.Register(() => Cancel(waiter, cancellation)))
        {
            await waiter.Granted.Task;
        }

        return wanted;
    }

    /// <summary>Counts a reservation that had to wait, in the stage's metric.</summary>
    protected abstract void RecordWait();

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
