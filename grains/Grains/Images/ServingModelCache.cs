using Vitrina.Classification;

namespace Vitrina.Grains.Images;

/// <summary>
/// What the model in service expects (input size, resize mode), as this silo last heard it from a classifier. Image
/// grains prepare photos for it without asking a classifier grain first: that was one more call per photo, across the
/// network when the classifiers run on GPU silos. A photo prepared for a version replaced since is refused by the
/// classifier (<see cref="Classification.ModelChangedException"/>) and the grain asks again; the entry also ages out.
/// </summary>
public sealed class ServingModelCache(TimeProvider clock)
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

        var info = await classifier.GetModel();
        Volatile.Write(ref entry, new Entry(info, clock.GetUtcNow()));
        return info;
    }

    /// <summary>Drops <paramref name="stale"/> unless another grain has already replaced it.</summary>
    public void Forget(ModelInfo stale)
    {
        var current = Volatile.Read(ref entry);
        if (current is not null && ReferenceEquals(current.Info, stale))
        {
            Interlocked.CompareExchange(ref entry, null, current);
        }
    }

    private sealed record Entry(ModelInfo Info, DateTimeOffset Fetched);
}
