namespace Vitrina.Training.Training;

/// <summary>How far a long training step has got, for progress bars.</summary>
public sealed record TrainingProgress(string Stage, int Done, int Total, string? Detail = null)
{
    /// <summary>A counter of one stage's done items, reported as this stage's progress out of <paramref name="total"/>.</summary>
    internal static IProgress<int> Of(IProgress<TrainingProgress>? progress, string stage, int total) =>
        new InlineProgress<int>(done => progress?.Report(new TrainingProgress(stage, done, total)));
}
