using Vitrina.Grains.Sources.Instagram;

namespace Vitrina.Tests.Instagram;

/// <summary>A call gate that lets every call through and records how each one asked and what the client reported.</summary>
internal sealed class RecordingGate : IGraphCallGate
{
    public List<bool> ContinuesRead { get; } = [];

    public Task Enter(string subject, bool continuesRead, CancellationToken cancellation)
    {
        lock (ContinuesRead)
        {
            ContinuesRead.Add(continuesRead);
        }

        return Task.CompletedTask;
    }

    /// <summary>What the client told the budget: the usage of each answer, and each rate limit's wait.</summary>
    public List<GraphUsage> Usages { get; } = [];

    public List<TimeSpan> RateLimits { get; } = [];

    public Task ReportUsage(GraphUsage usage)
    {
        lock (Usages)
        {
            Usages.Add(usage);
        }

        return Task.CompletedTask;
    }

    public Task ReportRateLimited(TimeSpan retryAfter)
    {
        lock (RateLimits)
        {
            RateLimits.Add(retryAfter);
        }

        return Task.CompletedTask;
    }
}
