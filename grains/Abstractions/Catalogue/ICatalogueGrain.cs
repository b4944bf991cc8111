namespace Vitrina.Catalogue;

/// <summary>
/// The catalogue, one of a pool of writers keyed 0..N-1 on catalogue silos (any of them answers queries): files images into the database keyed by image id, so re-filing an
/// image updates its row and never adds a second; counts per colour x category come from those rows.
/// </summary>
[Alias("Vitrina.ICatalogueGrain")]
public interface ICatalogueGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Completes once the row is committed. A filing cancelled before its batch is written is not written; one cancelled
    /// while its batch is being written is committed with it.
    /// </summary>
    [Alias("File")]
    Task File(CatalogueItem item, CancellationToken cancellation = default);

    /// <summary>
    /// Sets a moderator's labels on a filed image and moves it into the catalogue; later filings of the same image (a
    /// re-poll after a silo died) no longer change it. Null when no such image was filed.
    /// </summary>
    [Alias("Label")]
    Task<CatalogueItem?> Label(ModeratorLabel label);

    /// <summary>
    /// Withdraws the images of these posts of an account, which are gone from the shop, or of all its posts when
    /// <paramref name="postIds"/> is null (see <see cref="Images.ImageStatus.Withdrawn"/>); photos a moderator excluded
    /// stay excluded. Returns the rows withdrawn.
    /// </summary>
    [Alias("Withdraw")]
    Task<int> Withdraw(string account, IReadOnlyCollection<string>? postIds);

    /// <summary>
    /// Puts withdrawn moderator-labelled images of these posts (back at the shop, or of an account onboarded again)
    /// back on their shelves before the posts are filed again: filing never overwrites a moderator's labels, so it
    /// cannot do this itself. Returns the rows reinstated.
    /// </summary>
    [Alias("Reinstate")]
    Task<int> Reinstate(string account, IReadOnlyCollection<string> postIds);

    [Alias("Summary")]
    Task<CatalogueSummary> Summary();

    [Alias("List")]
    Task<IReadOnlyList<CatalogueItem>> List(CatalogueQuery query);

    /// <summary>The posts of an account with a photo on a shelf, in the queue or failed: what a sweep may withdraw.</summary>
    [Alias("ActivePostIds")]
    Task<IReadOnlyList<string>> ActivePostIds(string account);

    /// <summary>One image's row; null when no such image was filed.</summary>
    [Alias("Find")]
    Task<CatalogueItem?> Find(string imageId);

    /// <summary>One image's status and thumbnail; null when no such image was filed.</summary>
    [Alias("Thumbnail")]
    Task<CatalogueThumbnail?> Thumbnail(string imageId);

    /// <summary>
    /// Rows that a shelf, the moderation queue or a returning post may show but that have no thumbnail (filed before
    /// thumbnails were kept), in image-id order after <paramref name="after"/>; failed and excluded rows never need one.
    /// </summary>
    [Alias("WithoutThumbnails")]
    Task<IReadOnlyList<CatalogueItem>> WithoutThumbnails(string? after, int limit);

    /// <summary>How many rows <see cref="WithoutThumbnails"/> would list from the start.</summary>
    [Alias("CountWithoutThumbnails")]
    Task<int> CountWithoutThumbnails();

    /// <summary>Files a thumbnail for a filed image (replacing any); false when no such image was filed, or it was withdrawn.</summary>
    [Alias("FileThumbnail")]
    Task<bool> FileThumbnail(string imageId, byte[] jpeg);
}
