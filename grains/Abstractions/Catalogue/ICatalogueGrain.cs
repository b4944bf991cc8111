namespace Vitrina.Catalogue;

/// <summary>
/// The catalogue, one of a pool of writers keyed 0..N-1 on catalogue silos (any of them answers queries): files images into the database keyed by image id, so re-filing an
/// image updates its row and never adds a second; counts per colour x category come from those rows.
/// </summary>
[Alias("Vitrina.ICatalogueGrain")]
public interface ICatalogueGrain : IGrainWithIntegerKey
{
    [Alias("File")]
    Task File(CatalogueItem item);

    /// <summary>
    /// Sets a moderator's labels on a filed image and moves it into the catalogue; later filings of the same image (a
    /// re-poll after a silo died) no longer change it. Null when no such image was filed.
    /// </summary>
    [Alias("Label")]
    Task<CatalogueItem?> Label(ModeratorLabel label);

    [Alias("Summary")]
    Task<CatalogueSummary> Summary();

    [Alias("List")]
    Task<IReadOnlyList<CatalogueItem>> List(CatalogueQuery query);
}
