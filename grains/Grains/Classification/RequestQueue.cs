using System.Diagnostics;

namespace Vitrina.Grains.Classification;

/// <summary>
/// The model host's bounded queue. Grain turns add without blocking; the gathering thread blocks on a monitor until a
/// batch is full or its oldest photo has waited the delay. Awaiting a channel instead resumed the gatherer through the
/// thread pool, whose queue on a busy silo is full of photo decodes: with an instant classifier on the 2-core dev
/// machine, photos waited 293 ms (p50) for a 5 ms batching delay.
/// </summary>
internal sealed class RequestQueue
{
    /// <summary>Photos waiting for a batch, every silo's queue in the process together: the dashboards' backlog.</summary>

    private readonly Queue<PendingRequest> items = new();
    private readonly object gate = new();

    /// <summary>How many queued photos are worth waking the gatherer for: one while it waits for a batch to start, a
    /// full batch while it waits for the deadline, so a producer rarely pays for a wake-up.</summary>
    private int wanted = int.MaxValue;

    private bool closed;

    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    public bool IsClosed
    {
        get
        {
            lock (gate)
            {
                return closed;
            }
        }
    }

    /// <summary>False when the queue holds <paramref name="limit"/> photos or is closed.</summary>
    public bool TryAdd(PendingRequest request, int limit)
    {
        lock (gate)
        {
            if (closed || items.Count >= limit)
            {
                return false;
            }

            items.Enqueue(request);
            ClassifierMetrics.RecordQueued(1);
            if (items.Count >= wanted)
            {
                Monitor.Pulse(gate);
            }

            return true;
        }
    }

    /// <summary>
    /// Blocks until <paramref name="maxBatch"/> photos wait or the oldest has waited <paramref name="delay"/>, and takes
    /// them; null once the queue is closed.
    /// </summary>
    public List<PendingRequest>? TakeBatch(int maxBatch, TimeSpan delay)
    {
        var delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
        Monitor.Enter(gate);
        try
        {
            while (items.Count == 0 && !closed)
            {
                wanted = 1;
                Monitor.Wait(gate);
            }

            if (closed)
            {
                return null;
            }

            var deadline = items.Peek().Enqueued + delayTicks;
            while (items.Count < maxBatch && !closed)
            {
                var remaining = deadline - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    break;
                }

                wanted = maxBatch;
                var milliseconds = (int)(remaining * 1000 / Stopwatch.Frequency);
                if (milliseconds > 0)
                {
                    // Whole milliseconds, Monitor.Wait's unit, so the wait ends before the deadline, never after.
                    Monitor.Wait(gate, milliseconds);
                }
                else
                {
                    // The last fraction of a millisecond is polled, with the queue open to producers meanwhile.
                    Monitor.Exit(gate);
                    Thread.Yield();
                    Monitor.Enter(gate);
                }
            }

            wanted = int.MaxValue;
            if (closed)
            {
                return null; // Close handed the queued photos back
            }

            var batch = new List<PendingRequest>(Math.Min(maxBatch, items.Count));
            while (batch.Count < maxBatch && items.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            ClassifierMetrics.RecordQueued(-batch.Count);

            return batch;
        }
        finally
        {
            Monitor.Exit(gate);
        }
    }

    /// <summary>Refuses further photos, wakes the gatherer and hands back the photos still queued.</summary>
    public List<PendingRequest> Close()
    {
        lock (gate)
        {
            closed = true;
            Monitor.PulseAll(gate);
            var left = items.ToList();
            items.Clear();
            ClassifierMetrics.RecordQueued(-left.Count);
            return left;
        }
    }
}
