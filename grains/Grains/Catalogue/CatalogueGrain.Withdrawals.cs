using Microsoft.EntityFrameworkCore;

namespace Vitrina.Grains.Catalogue;

/// <summary>Photos of posts gone from their shop leave the shelves, and come back when the post does.</summary>
public sealed partial class CatalogueGrain
{
    public async Task<int> Withdraw(string account, IReadOnlyCollection<string>? postIds)
    {
        var (withdrawn, excluded) = (ImageStatus.Withdrawn.ToString(), ImageStatus.Excluded.ToString());
        var photos = await UpdatePosts(account, postIds, rows => rows.Where(i => i.Status != withdrawn && i.Status != excluded), withdrawn);
        CatalogueMetrics.RecordWithdrawn(photos);
        await DropThumbnailsOfWithdrawn(account, postIds);
        return photos;
    }

    /// <summary>
    /// A withdrawn photo leaves the shelves for good unless a moderator labelled it (<see cref="Reinstate"/>); a post that
    /// comes back is filed again, with a new thumbnail. Kept, the thumbnails of sold and deleted posts grew the table by
    /// gigabytes a day across thousands of shops, while their rows are a few hundred bytes each.
    /// </summary>
    private Task<int> DropThumbnailsOfWithdrawn(string account, IReadOnlyCollection<string>? postIds) =>
        gate.Run(async () =>
        {
            await using var db = await databases.CreateDbContextAsync();
            var withdrawn = ImageStatus.Withdrawn.ToString();
            var rows = db.Items.Where(i => i.Account == account && i.Status == withdrawn && i.ModelVersion != ModeratorLabel.Source);
            return await OfPosts(rows, postIds, these => db.Thumbnails.Where(t => these.Any(i => i.ImageId == t.ImageId)).ExecuteDeleteAsync());
        });

    public async Task<int> Reinstate(string account, IReadOnlyCollection<string> postIds)
    {
        // A moderator's row is either labelled (catalogued) or excluded, and excluded rows are never withdrawn.
        var withdrawn = ImageStatus.Withdrawn.ToString();
        var photos = await UpdatePosts(account, postIds, rows => rows.Where(i => i.Status == withdrawn && i.ModelVersion == ModeratorLabel.Source),
            ImageStatus.Catalogued.ToString());
        CatalogueMetrics.RecordReinstated(photos);
        return photos;
    }

    /// <param name="postIds">Null: every post of the account.</param>
    private Task<int> UpdatePosts(string account, IReadOnlyCollection<string>? postIds, Func<IQueryable<CatalogueRow>, IQueryable<CatalogueRow>> which, string status) =>
        gate.Run(async () =>
        {
            await using var db = await databases.CreateDbContextAsync();
            var rows = db.Items.Where(i => i.Account == account);
            // The status alone: updated_at says when the labels last changed, and the training grain retrains when a
            // moderator's row has a newer one; a post sold or back is no new label.
            return await OfPosts(rows, postIds, these => which(these).ExecuteUpdateAsync(set => set.SetProperty(i => i.Status, status)));
        });

    /// <summary>
    /// Runs <paramref name="statement"/> on the rows of <paramref name="postIds"/> (null: every post of the account),
    /// 500 posts a statement; returns the rows it touched.
    /// </summary>
    private static async Task<int> OfPosts(
        IQueryable<CatalogueRow> rows, IReadOnlyCollection<string>? postIds, Func<IQueryable<CatalogueRow>, Task<int>> statement)
    {
        if (postIds is null)
        {
            return await statement(rows);
        }

        var touched = 0;
        foreach (var chunk in postIds.Chunk(500))
        {
            touched += await statement(rows.Where(i => chunk.Contains(i.PostId)));
        }

        return touched;
    }
}
