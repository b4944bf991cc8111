namespace Vitrina.Training.Training;

/// <summary>How far a long training step has got, for progress bars.</summary>
public sealed record TrainingProgress(string Stage, int Done, int Total, string? Detail = null);
