namespace Vitrina.Retraining;

/// <summary>
/// Retrains the model from moderator labels (key 0: one per cluster): every <c>Vitrina:Training:Interval</c> once enough
/// new labels exist, or on demand. A retrained model is published only if it labels held-out moderated photos at least
/// as well as the serving one.
/// </summary>
[Alias("Vitrina.ITrainingGrain")]
public interface ITrainingGrain : IGrainWithIntegerKey
{
    /// <summary>Activates the grain so its schedule (a durable reminder) exists.</summary>
    [Alias("Start")]
    Task Start();

    [Alias("Retrain"), ResponseTimeout("00:15:00")]
    Task<RetrainingReport> Retrain();
}
