namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// The access token is missing, invalid or expired (code 190). Parked: every call would fail the same way until an
/// operator configures a new token and resumes the account. <see cref="TokenFingerprint"/> says which token was refused
/// without revealing it.
/// </summary>
public sealed class GraphTokenRejectedException(string message, int? httpStatus, GraphError? error, string? tokenFingerprint)
    : GraphApiException(message, SourceFailureDisposition.Park, httpStatus, error)
{
    public string? TokenFingerprint { get; } = tokenFingerprint;
}
