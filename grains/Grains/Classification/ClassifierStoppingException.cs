namespace Vitrina.Grains.Classification;

/// <summary>
/// The silo's classifier is stopping with the silo; the photo was not classified. Retry: the classifier grain's next
/// activation is on a silo that is not going away.
/// </summary>
[GenerateSerializer, Alias("Vitrina.ClassifierStoppingException")]
public sealed class ClassifierStoppingException(string message) : Exception(message);
