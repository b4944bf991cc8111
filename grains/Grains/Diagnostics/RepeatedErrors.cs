namespace Vitrina.Grains.Diagnostics;

/// <summary>
/// Decides which of many alike errors to log: the first of each kind in full, then at most one a minute per kind,
/// carrying how many were left out since. An outage (the catalogue's database, a model that throws) fails every photo
/// or batch, and a stack trace each at the pipeline's rate buried everything else in the log; metrics count them all.
/// </summary>
public sealed class RepeatedErrors(TimeSpan? interval = null)
{
    private readonly long intervalMilliseconds = (long)(interval ?? TimeSpan.FromMinutes(1)).TotalMilliseconds;
    private readonly Dictionary<string, (long LoggedAt, int LeftOut)> kinds = [];

    /// <summary>Whether to log this error of <paramref name="kind"/> now; if not, it is counted into the next one logged.</summary>
    /// <param name="leftOut">Errors of the same kind not logged since the last one that was.</param>
    public bool ShouldLog(string kind, out int leftOut)
    {
        var now = Environment.TickCount64;
        lock (kinds)
        {
            if (kinds.TryGetValue(kind, out var last) && now - last.LoggedAt < intervalMilliseconds)
            {
                kinds[kind] = last with { LeftOut = last.LeftOut + 1 };
                leftOut = 0;
                return false;
            }

            leftOut = last.LeftOut;
            kinds[kind] = (now, 0);
            return true;
        }
    }

    /// <summary>The kind of an exception: its type, and the inner one's where it only wraps another.</summary>
    public static string KindOf(Exception e) =>
        e.InnerException is { } inner ? $"{e.GetType().Name}({inner.GetType().Name})" : e.GetType().Name;
}
