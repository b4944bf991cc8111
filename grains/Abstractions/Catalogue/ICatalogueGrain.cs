namespace Vitrina.Catalogue;

/// <summary>
/// The catalogue (a stateless worker per silo): files images into the database keyed by image id, so re-filing an
/// image updates its row and never adds a second; counts per colour x category come from those rows.
/// </summary>
[Alias("Vitrina.ICatalogueGrain")]
public interface ICatalogueGrain : IGrainWithIntegerKey
{
    [Alias("File")]
    Task File(CatalogueItem item);

    [Alias("Summary")]
    Task<CatalogueSummary> Summary();

    [Alias("List")]
    Task<IReadOnlyList<CatalogueItem>> List(CatalogueQuery query);
}
