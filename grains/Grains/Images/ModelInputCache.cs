using Vitrina.Classification;

namespace Vitrina.Grains.Images;

/// <summary>
/// What the model in service expects (input size, resize mode), as this silo last heard it from a classifier. Image
/// grains prepare photos for it without asking a classifier grain first: that was one more call per photo, across the
/// network when the classifiers run on GPU silos. A photo prepared for a version replaced since is refused by the
/// classifier (<see cref="Classification.ModelChangedException"/>) and the grain asks that classifier; the entry also
/// ages out.
/// </summary>
public sealed class ModelInputCache(TimeProvider clock)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);

    private Entry? entry;

    public async ValueTask<ModelInfo> Get(IClassifierGrain classifier)
    {
        var cached = Volatile.Read(ref entry);
        if (cached is not null && clock.GetUtcNow() - cached.Fetched < MaxAge)
        {
            return cached.Info;
        }

        return await Refresh(classifier);
    }

    /// <summary>
    /// What <paramref name="classifier"/> itself serves, for a photo it refused: not the cached entry, which grains
    /// whose classifiers run on a silo that has not switched yet may have refilled with the old input meanwhile.
    /// </summary>
    public async ValueTask<ModelInfo> Refresh(IClassifierGrain classifier)
    {
        var info = await classifier.GetModel();
        Volatile.Write(ref entry, new Entry(info, clock.GetUtcNow()));
        return info;
    }

    private sealed record Entry(ModelInfo Info, DateTimeOffset Fetched);
}
