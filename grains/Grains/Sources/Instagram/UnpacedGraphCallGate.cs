namespace Vitrina.Grains.Sources.Instagram;

/// <summary>No pacing: for single operator commands such as <c>vitrina instagram fetch</c>.</summary>
public sealed class UnpacedGraphCallGate : IGraphCallGate
{
    public Task Enter(string subject, bool continuesRead, CancellationToken cancellation) => Task.CompletedTask;

    public Task ReportUsage(GraphUsage usage) => Task.CompletedTask;

    public Task ReportRateLimited(TimeSpan retryAfter) => Task.CompletedTask;
}
