using Microsoft.Extensions.Options;

namespace Vitrina.Grains.Images;

/// <summary>
/// How much memory a silo's fetched photos may hold until they are classified. Hundreds of photos are in flight at
/// once (every account keeps several), and each waits for a core and for the classifier with its bytes in memory: at
/// Instagram's 1,080 px that is about 100 MB, but a folder of camera photos (10-20 MB each) would be gigabytes. A fetch
/// reserves the photo's size before reading it; the photo gives its share back once classified
/// (<see cref="FetchedPhoto"/>): while the classifier is the bottleneck, that makes fetching wait for it too.
/// </summary>
public sealed class FetchMemory(long limit, ImageMetrics metrics) : MemoryBudget(limit)
{
    public FetchMemory(IOptions<ImageOptions> options, ImageMetrics metrics)
        : this(SizeFor(options.Value.FetchMemoryMegabytes), metrics)
    {
    }

    protected override void RecordWait() => metrics.RecordFetchMemoryWait();
}
