namespace Vitrina.Classification;

/// <summary>
/// A prepared photo (RGB bytes, row-major) for the classifier, with the resize mode it was prepared with (a
/// <see cref="ModelInfo.Resize"/> value): a model that expects another size or mode refuses it rather than misread it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Vitrina.ClassifyRequest")]
public sealed record ClassifyRequest(
    [property: Id(0)] int Width, [property: Id(1)] int Height, [property: Id(2)] byte[] Pixels, [property: Id(3)] string Resize);
