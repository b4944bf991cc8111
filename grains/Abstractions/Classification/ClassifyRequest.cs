namespace Vitrina.Classification;

/// <summary>A prepared photo (RGB bytes, row-major) for the classifier.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.ClassifyRequest")]
public sealed record ClassifyRequest([property: Id(0)] int Width, [property: Id(1)] int Height, [property: Id(2)] byte[] Pixels);
