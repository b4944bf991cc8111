namespace Vitrina.Classification;

/// <summary>The model version in service and the input it expects (square size, resize mode).</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.ModelInfo")]
public sealed record ModelInfo(
    [property: Id(0)] string Version, [property: Id(1)] int InputSize, [property: Id(2)] string Resize,
    [property: Id(3)] IReadOnlyList<string> Colours, [property: Id(4)] IReadOnlyList<string> Categories);
