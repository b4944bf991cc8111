using Microsoft.EntityFrameworkCore;

namespace Vitrina.Grains.Catalogue;

/// <summary>The small JPEGs the shelves show, filed with each photo and renewed on demand.</summary>
public sealed partial class CatalogueGrain
{
    public async Task<CatalogueThumbnail?> Thumbnail(string imageId)
    {
        await using var db = await databases.CreateDbContextAsync();
        var found = await (
            from item in db.Items.AsNoTracking()
            where item.ImageId == imageId
            join thumbnail in db.Thumbnails.AsNoTracking() on item.ImageId equals thumbnail.ImageId into thumbnails
            from thumbnail in thumbnails.DefaultIfEmpty()
            select new { item.Status, Jpeg = thumbnail == null ? null : thumbnail.Jpeg }).FirstOrDefaultAsync();
        return found is null ? null : new CatalogueThumbnail(Enum.Parse<ImageStatus>(found.Status), found.Jpeg);
    }

    public async Task<IReadOnlyList<CatalogueItem>> WithoutThumbnails(string? after, int limit)
    {
        await using var db = await databases.CreateDbContextAsync();
        var rows = NeedingThumbnails(db);
        if (after is not null) rows = rows.Where(i => string.Compare(i.ImageId, after) > 0);
        var found = await rows.OrderBy(i => i.ImageId).Take(Math.Clamp(limit, 1, 10_000)).ToListAsync();
        return found.Select(CatalogueItems.ToItem).ToList();
    }

    public async Task<int> CountWithoutThumbnails()
    {
        await using var db = await databases.CreateDbContextAsync();
        return await NeedingThumbnails(db).CountAsync();
    }

    private static IQueryable<CatalogueRow> NeedingThumbnails(CatalogueDbContext db)
    {
        // A withdrawn photo's post is gone from the shop: there is nothing to fetch again.
        var (failed, excluded, withdrawn) = (ImageStatus.Failed.ToString(), ImageStatus.Excluded.ToString(), ImageStatus.Withdrawn.ToString());
        return db.Items.AsNoTracking()
            .Where(i => i.Status != failed && i.Status != excluded && i.Status != withdrawn && !db.Thumbnails.Any(t => t.ImageId == i.ImageId));
    }

    public Task<bool> FileThumbnail(string imageId, byte[] jpeg) => gate.Run(async () =>
    {
        await using var db = await databases.CreateDbContextAsync();
        var withdrawn = ImageStatus.Withdrawn.ToString();
        if (!await db.Items.AnyAsync(i => i.ImageId == imageId && i.Status != withdrawn)) // withdrawn meanwhile: its thumbnail went with it
        {
            return false;
        }

        await CatalogueUpsert.FileThumbnail(db, imageId, jpeg);
        return true;
    });
}
