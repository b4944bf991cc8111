namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// The account cannot be read: it does not exist, is private, or is not a business or creator account (business
/// discovery sees only those). Parked with <see cref="Reason"/> until a person looks.
/// </summary>
public sealed class GraphAccountUnavailableException(string message, string account, string reason, int? httpStatus, GraphError? error)
    : GraphApiException(message, SourceFailureDisposition.Park, httpStatus, error)
{
    public string Account { get; } = account;

    public string Reason { get; } = reason;
}
