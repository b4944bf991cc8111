using System.Buffers;

namespace Vitrina.Grains.Images;

/// <summary>
/// A photo's bytes as fetched, in a buffer rented from the shared array pool, with its share of the silo's
/// <see cref="FetchMemory"/>; dispose it once the photo is classified (a model change
/// in between has it prepared again), which gives both back.
/// An Instagram photo (1,080 px) is 150-400 kB: a new array for each landed on the large-object heap, and the pipeline
/// collected gen2 more than once a second for them (docs/benchmarks.md, "Session 19").
/// </summary>
public sealed class FetchedPhoto : IDisposable
{
    private readonly FetchMemory memory;
    private readonly long reserved;
    private byte[]? buffer;

    /// <param name="buffer">Rented from <see cref="ArrayPool{T}.Shared"/>; this photo returns it.</param>
    /// <param name="reserved">Bytes of <paramref name="memory"/> reserved for it; this photo releases them.</param>
    internal FetchedPhoto(byte[] buffer, int length, FetchMemory memory, long reserved)
    {
        this.buffer = buffer;
        Length = length;
        this.memory = memory;
        this.reserved = reserved;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => (buffer ?? throw new ObjectDisposedException(nameof(FetchedPhoto))).AsSpan(0, Length);

    /// <summary>A copy that outlives this photo (to send the bytes on).</summary>
    public byte[] ToArray() => Span.ToArray();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref buffer, null) is { } rented)
        {
            ArrayPool<byte>.Shared.Return(rented);
            memory.Release(reserved);
        }
    }
}
