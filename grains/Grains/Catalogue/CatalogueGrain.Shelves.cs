using Microsoft.EntityFrameworkCore;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// What the dashboard, the shelves and the CLI read: counts, one photo, lists by colour, category, account or status.
/// </summary>
public sealed partial class CatalogueGrain
{
    /// <summary>
    /// The counts; callers that ask while a count runs share it. Every open dashboard asks once a second, and each count
    /// reads the whole table: their cost must not grow with the number of viewers.
    /// </summary>
    public Task<CatalogueSummary> Summary()
    {
        if (summary is { IsCompleted: false } running)
        {
            return running;
        }

        // Off the grain's turn: on SQLite the count runs synchronously, would hold a scheduler thread, and would have
        // finished before any second caller could share it.
        return summary = Task.Run(Count);
    }

    private Task<CatalogueSummary>? summary;

    private async Task<CatalogueSummary> Count()
    {
        await using var db = await databases.CreateDbContextAsync();
        // One snapshot for the three queries: while photos are being filed, the cells must add up to the counts. Not on
        // SQLite, whose transactions take the write lock from the start and would hold up filing.
        await using var snapshot = db.Database.IsSqlite() ? null : await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var catalogued = ImageStatus.Catalogued.ToString();
        var cells = await db.Items.AsNoTracking()
            .Where(i => i.Status == catalogued)
            .GroupBy(i => new { i.Colour, i.Category })
            .Select(g => new { g.Key.Colour, g.Key.Category, Count = g.Count() })
            .ToListAsync();
        var statuses = await db.Items.AsNoTracking().GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var accounts = await db.Items.AsNoTracking().Select(i => i.Account).Distinct().CountAsync();
        int Count(ImageStatus s) => statuses.FirstOrDefault(x => x.Key == s.ToString())?.Count ?? 0;
        return new CatalogueSummary
        {
            Cells = cells.Select(c => new CatalogueCell(c.Colour ?? "", c.Category ?? "", c.Count))
                .OrderBy(c => c.Colour, StringComparer.Ordinal).ThenBy(c => c.Category, StringComparer.Ordinal).ToList(),
            Catalogued = Count(ImageStatus.Catalogued),
            Moderation = Count(ImageStatus.Moderation),
            Failed = Count(ImageStatus.Failed),
            Excluded = Count(ImageStatus.Excluded),
            Withdrawn = Count(ImageStatus.Withdrawn),
            Accounts = accounts,
        };
    }

    public async Task<IReadOnlyList<string>> ActivePostIds(string account)
    {
        await using var db = await databases.CreateDbContextAsync();
        var (withdrawn, excluded) = (ImageStatus.Withdrawn.ToString(), ImageStatus.Excluded.ToString());
        return await db.Items.AsNoTracking().Where(i => i.Account == account && i.Status != withdrawn && i.Status != excluded)
            .Select(i => i.PostId).Distinct().ToListAsync();
    }

    public async Task<CatalogueItem?> Find(string imageId)
    {
        await using var db = await databases.CreateDbContextAsync();
        return await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.ImageId == imageId) is { } row ? CatalogueItems.ToItem(row) : null;
    }

    public async Task<IReadOnlyList<CatalogueItem>> List(CatalogueQuery query)
    {
        if (query.NewestFirst && (query.After is not null || query.NewestPostsFirst))
        {
            throw new ArgumentException("The most recently updated rows come in one page, without paging after an image id or another order.");
        }

        if (query.NewestPostsFirst && (query.After is null) != (query.AfterPostedAt is null))
        {
            throw new ArgumentException("Paging the newest posts first needs both the last row's image id and when it was posted.");
        }

        await using var db = await databases.CreateDbContextAsync();
        var rows = db.Items.AsNoTracking();
        if (query.NewestPostsFirst)
        {
            rows = rows.Where(i => i.PostedAt != null);
            if (query.AfterPostedAt is { } posted && query.After is { } last)
            {
                // The first condition alone bounds an index range; the second drops the same-time rows already listed.
                rows = rows.Where(i => i.PostedAt <= posted && (i.PostedAt < posted || string.Compare(i.ImageId, last) < 0));
            }
        }
        else if (query.After is { } after)
        {
            rows = rows.Where(i => string.Compare(i.ImageId, after) > 0);
        }

        if (query.InTaxonomyBelow is { } below) rows = rows.Where(i => i.InTaxonomyProbability < below);
        if (query.Colour is { } colour) rows = rows.Where(i => i.Colour == colour);
        if (query.Category is { } category) rows = rows.Where(i => i.Category == category);
        if (query.Account is { } account) rows = rows.Where(i => i.Account == account);
        if (query.Status is { } status) rows = rows.Where(i => i.Status == status.ToString());
        if (query.ModelVersion is { } version) rows = rows.Where(i => i.ModelVersion == version);
        var limit = Math.Clamp(query.Limit, 1, 10_000);
        var found = query.NewestPostsFirst ? await rows.OrderByDescending(i => i.PostedAt).ThenByDescending(i => i.ImageId).Take(limit).ToListAsync()
            : query.NewestFirst ? await rows.OrderByDescending(i => i.UpdatedAt).ThenBy(i => i.ImageId).Take(limit).ToListAsync()
            : await rows.OrderBy(i => i.ImageId).Take(limit).ToListAsync();
        return found.Select(CatalogueItems.ToItem).ToList();
    }
}
