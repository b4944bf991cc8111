namespace Vitrina.Grains.Images;

/// <summary>An image grain's memory: where the photo came from, and the outcome once there is one.</summary>
[GenerateSerializer, Alias("Vitrina.ImageGrainState")]
public sealed class ImageGrainState
{
    [Id(0)] public ImageOutcome? Outcome { get; set; }

    /// <summary>Kept so the photo can be fetched again, e.g. to retrain from a moderator's label.</summary>
    [Id(1)] public ImageWork? Work { get; set; }
}
