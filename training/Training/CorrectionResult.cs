namespace Vitrina.Training.Training;

/// <summary>What a retraining from moderator labels did, and why.</summary>
public sealed record CorrectionResult(int Photos, int HeldOut, double AccuracyBefore, double AccuracyAfter, string? PublishedVersion, string Outcome);
