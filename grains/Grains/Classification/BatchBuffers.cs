using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Vitrina.Grains.Classification;

/// <summary>
/// The uint8 [max batch, H, W, 3] buffers the model host stacks photos into, reused from batch to batch: a fresh tensor
/// per batch (30+ MB at batch 512) cost the gathering thread a page fault per 4 KB on first touch, more than the copy
/// itself. For a CUDA model they are page-locked, so the copy to the device runs at full bandwidth and asynchronously.
/// Three exist at most: one being filled, one waiting for the device, one on it.
/// </summary>
internal sealed class BatchBuffers(int maxBatchSize, ILogger logger) : IDisposable
{
    private const int Count = 3;

    private readonly BlockingCollection<Tensor> free = new(boundedCapacity: Count);
    private int created;
    private bool pinningFailed;

    /// <summary>A buffer for photos of <paramref name="height"/> x <paramref name="width"/>; blocks while all are in use.</summary>
    public Tensor Rent(int height, int width, bool pinned)
    {
        Tensor buffer;
        if (free.TryTake(out var idle))
        {
            buffer = idle;
        }
        else if (created < Count)
        {
            var fresh = Allocate(height, width, pinned);
            created++; // counted once it exists: a failed allocation must not use up one of the three
            return fresh;
        }
        else
        {
            buffer = free.Take();
        }

        if (buffer.shape[1] == height && buffer.shape[2] == width && buffer.is_pinned() == (pinned && !pinningFailed))
        {
            return buffer;
        }

        // A new model version with another input size, or a CUDA model replaced by a CPU one.
        buffer.Dispose();
        try
        {
            return Allocate(height, width, pinned);
        }
        catch
        {
            created--; // the disposed buffer's place is free again, or the next Rent would wait for it forever
            throw;
        }
    }

    public void Return(Tensor buffer) => free.Add(buffer);

    private Tensor Allocate(int height, int width, bool pinned)
    {
        var buffer = empty([maxBatchSize, height, width, 3], ScalarType.Byte);
        if (!pinned || pinningFailed)
        {
            return buffer;
        }

        try
        {
            var locked = buffer.pin_memory();
            buffer.Dispose();
            return locked;
        }
        catch (Exception e)
        {
            pinningFailed = true;
            logger.LogWarning("Page-locked batch buffers are unavailable ({Error}); batches go to the device from ordinary memory", e.Message);
            return buffer;
        }
    }

    public void Dispose()
    {
        while (free.TryTake(out var buffer))
        {
            buffer.Dispose();
        }
    }
}
