using Vitrina.Grains.Sources.Instagram;

namespace Vitrina.Tests.Instagram;

/// <summary>A call gate that lets every call through and records how each one asked.</summary>
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

    public Task ReportUsage(GraphUsage usage) => Task.CompletedTask;

    public Task ReportRateLimited(TimeSpan retryAfter) => Task.CompletedTask;
}
