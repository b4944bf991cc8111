using Microsoft.Extensions.Options;
using Vitrina.Training.Images;

namespace Vitrina.Grains.Images;

/// <summary>
/// How much memory the photos a silo is decoding may take at once. A photo's compressed size says little about it: a
/// 133 kB PNG of 40 MP takes 273 MB to decode, and the thread pool runs 6-8 preparations at once on 2 cores, so 48 of
/// them took a silo from 0.8 to 2.9 GB resident, which it kept (<see cref="Training.NativeHeap"/> keeps freed memory).
/// Each decode reserves what its <see cref="DecodePlan"/> says before it starts. An Instagram photo, decoded at a reduced
/// scale, needs about 230 kB and never waits.
/// </summary>
public sealed class DecodeMemory(long limit, ImageMetrics metrics) : MemoryBudget(limit)
{
    public DecodeMemory(IOptions<ImageOptions> options, ImageMetrics metrics)
        : this(SizeFor(options.Value.DecodeMemoryMegabytes), metrics)
    {
    }

    /// <summary>
    /// On the thread pool, off the grain scheduler's threads: reads the photo's header (<paramref name="inspect"/>: tens
    /// of microseconds, but ImageSharp reads as far into a file as its format needs, and it read a whole GIF before
    /// <see cref="ImagePreparation.Inspect(ReadOnlySpan{byte}, PreparationSettings)"/> read GIFs' sizes itself), then runs
    /// <paramref name="decode"/> once the plan's memory fits, and again on a full-size plan's memory if libjpeg-turbo
    /// declines a JPEG planned for its reduced decode. Waiting holds no thread.
    /// </summary>
    public Task<T> Decode<T>(Func<DecodePlan> inspect, Func<DecodePlan, T> decode, CancellationToken cancellation) =>
        Task.Run(async () =>
        {
            var plan = inspect().Replanning();
            var reserved = await Reserve(plan.MemoryBytes, cancellation);
            try
            {
                return decode(plan);
            }
            catch (DecodeReplanException declined)
            {
                // A full-size decode on a reservation made for a reduced one could take a hundred times the memory.
                Release(reserved);
                reserved = 0;
                reserved = await Reserve(declined.Plan.MemoryBytes, cancellation);
                return decode(declined.Plan);
            }
            finally
            {
                Release(reserved);
            }
        }, cancellation);

    protected override void RecordWait() => metrics.RecordDecodeMemoryWait();
}
