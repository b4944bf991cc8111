namespace Vitrina.Grains.Accounts;

/// <summary>
/// How many posts an account keeps in flight, up to <see cref="AccountOptions.ImageConcurrency"/>, the way TCP sizes
/// its window: it starts at one and doubles with every window of posts that finish (a 16-post window is open after
/// four rounds), is halved when a full classifier queue hands one of its photos back, and from then on grows by one
/// per window of finished posts (additive increase, multiplicative decrease). Every account narrowing on its own is
/// what slows the cluster's polls to the rate its classifiers keep up with, with no coordinator: before, photos refused
/// for long enough failed their whole poll, and the classifier idled for the 15-30 s until those polls were retried.
/// </summary>
public sealed class PostWindow(int max)
{
    private readonly int max = Math.Max(1, max);
    private double size = 1;

    /// <summary>Doubling per window until the first photo handed back shows where the classifiers' limit is.</summary>
    private bool probing = true;

    /// <summary>Posts that may be in flight now.</summary>
    public int Size => (int)size;

    /// <summary>
    /// Counts narrowings; a post remembers the generation it started in, so that the posts refused together, which all
    /// started before the window narrowed, narrow it once and not down to one.
    /// </summary>
    public int Generation { get; private set; }

    public void Finished() => size = Math.Min(max, probing ? size + 1 : size + 1 / size);

    /// <summary>A post started in <paramref name="generation"/> was handed back by a full classifier queue.</summary>
    public void HandedBack(int generation)
    {
        if (generation == Generation)
        {
            size = Math.Max(1, size / 2);
            probing = false;
            Generation++;
        }
    }
}
