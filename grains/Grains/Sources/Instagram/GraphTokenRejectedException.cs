namespace Vitrina.Grains.Sources.Instagram;

/// <summary>
/// The access token is missing, invalid or expired (code 190). Parked: every call would fail the same way until an
/// operator configures a new token; accounts it parked then poll again by themselves. The refused token is named by
/// its fingerprint (<see cref="PostSourceUnavailableException.RefusedCredential"/>), never revealed.
/// </summary>
public sealed class GraphTokenRejectedException(string message, int? httpStatus, GraphError? error, string? tokenFingerprint)
    : GraphApiException(message, SourceFailureDisposition.Park, httpStatus, error, refusedCredential: tokenFingerprint ?? NoToken)
{
    /// <summary>What a missing token is called: any configured token differs from it.</summary>
    public const string NoToken = "(no token)";
}
