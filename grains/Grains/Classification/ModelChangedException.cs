namespace Vitrina.Grains.Classification;

/// <summary>
/// The photo was prepared for another input (size or resize mode) than the model now in service: a new version came in
/// while it was on its way. Prepare it again for the current model and retry.
/// </summary>
[GenerateSerializer, Alias("Vitrina.ModelChangedException")]
public sealed class ModelChangedException(string message) : Exception(message);
