namespace Vitrina.Training.Images;

/// <summary>What a model expects of its input; saved with every model so inference prepares photos as training did.</summary>
public sealed record PreparationSettings(int Size, ResizeMode Resize)
{
    /// <summary>The paper's 150x150 squash.</summary>
    public static PreparationSettings Paper { get; } = new(150, ResizeMode.Stretch);

    /// <summary>ImageNet-sized input for the ResNet-18 backbone; a plain resize keeps long dresses whole.</summary>
    public static PreparationSettings ResNet { get; } = new(224, ResizeMode.Stretch);
}
