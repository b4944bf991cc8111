using Vitrina.Training.Evaluation;
using Vitrina.Training.Reports;
using Vitrina.Training.Store;

namespace Vitrina.Training.Training;

/// <summary>What a training command produced: the saved version, its curves and its validation scores.</summary>
public sealed record TrainingRun(
    ModelManifest Manifest,
    IReadOnlyList<TrainingHistory> Histories,
    IReadOnlyList<TaskEvaluation> Validation,
    IReadOnlyList<SkippedImage> Skipped,
    TimeSpan Elapsed);
