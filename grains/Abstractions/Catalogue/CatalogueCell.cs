namespace Vitrina.Catalogue;

/// <summary>How many catalogued images have one colour and one category.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.CatalogueCell")]
public sealed record CatalogueCell([property: Id(0)] string Colour, [property: Id(1)] string Category, [property: Id(2)] int Count);
