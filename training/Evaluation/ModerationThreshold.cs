namespace Vitrina.Training.Evaluation;

/// <summary>
/// Picks the confidence below which an image goes to the moderation queue: the lowest threshold at which every task's
/// auto-labelled images reach the target accuracy on validation, so shops rarely have to correct a label.
/// </summary>
public static class ModerationThreshold
{
    public const double TargetAccuracy = 0.85;

    public static double Choose(IReadOnlyList<TaskEvaluation> evaluations, double target = TargetAccuracy)
    {
        foreach (var threshold in TaskEvaluation.Thresholds)
        {
            var points = evaluations.Where(e => e.Count > 0).Select(e => e.Coverage.First(c => c.Threshold == threshold)).ToList();
            if (points.Count > 0 && points.All(p => p.Coverage > 0 && p.Accuracy >= target))
            {
                return threshold;
            }
        }

        return TaskEvaluation.Thresholds[^1];
    }
}
