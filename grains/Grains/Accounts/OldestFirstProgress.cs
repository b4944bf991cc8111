namespace Vitrina.Grains.Accounts;

/// <summary>
/// Which of a poll's posts, taken oldest first, may be marked seen: only the unbroken run from the oldest post, never a
/// post newer than one that is still running or failed. Posts finish in any order (several run at once), but a source
/// that pays per page stops paging where seen posts begin (<c>InstagramPostSource</c>): a newer post marked seen ahead
/// of an unfinished older one would hide that one on a page the next poll no longer reads.
/// </summary>
public sealed class OldestFirstProgress(int count)
{
    private readonly bool[] finished = new bool[count];

    /// <summary>Posts [0, Settled) have all finished.</summary>
    public int Settled { get; private set; }

    /// <summary>Records post <paramref name="index"/> as finished and returns the posts that this settles, oldest first.</summary>
    public Range Finish(int index)
    {
        finished[index] = true;
        var from = Settled;
        while (Settled < count && finished[Settled])
        {
            Settled++;
        }

        return from..Settled;
    }
}
