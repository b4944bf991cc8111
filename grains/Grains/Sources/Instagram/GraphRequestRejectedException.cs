namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// Any other refusal (missing permission, invalid parameter): polling again will not help, so the account is parked
/// with the API's message.
/// </summary>
public sealed class GraphRequestRejectedException(string message, int? httpStatus, GraphError error)
    : GraphApiException(message, SourceFailureDisposition.Park, httpStatus, error);
