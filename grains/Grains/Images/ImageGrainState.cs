namespace Vitrina.Grains.Images;

/// <summary>An image grain's memory: the outcome once there is one.</summary>
[GenerateSerializer, Alias("Vitrina.ImageGrainState")]
public sealed class ImageGrainState
{
    [Id(0)] public ImageOutcome? Outcome { get; set; }
}
