namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// What every Graph API call passes through: a permit before it, and what the answer said about the app's rate usage
/// after it. In a silo the gate is the cluster-wide <see cref="GraphBudgetGate"/>; the CLI's one-off reads use
/// <see cref="UnpacedGraphCallGate"/>.
/// </summary>
public interface IGraphCallGate
{
    /// <summary>Waits for a permit; throws <see cref="GraphBudgetExhaustedException"/> when none comes soon enough.</summary>
    /// <param name="continuesRead">The call asks for a further page of a read that has begun: it may wait longer.</param>
    Task Enter(string subject, bool continuesRead, CancellationToken cancellation);

    Task ReportUsage(GraphUsage usage);

    Task ReportRateLimited(TimeSpan retryAfter);
}
