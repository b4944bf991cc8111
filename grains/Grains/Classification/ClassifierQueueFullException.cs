namespace Vitrina.Grains.Classification;

/// <summary>The silo's classifier queue is full; retry later.</summary>
[GenerateSerializer, Alias("Vitrina.ClassifierQueueFullException")]
public sealed class ClassifierQueueFullException(string message) : Exception(message);
