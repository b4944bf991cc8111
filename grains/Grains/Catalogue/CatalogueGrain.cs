using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Orleans.Concurrency;
using Vitrina.Grains.Diagnostics;
using Vitrina.Grains.Placement;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// Files images into the catalogue table and answers catalogue queries. Upserts are keyed by image id; counts are
/// aggregated from the rows by the database, so they can never drift from what is stored.
/// </summary>
[Reentrant, SiloRole(SiloRoles.Catalogue)]
public sealed class CatalogueGrain(IDbContextFactory<CatalogueDbContext> databases, CatalogueWriteGate gate, ILogger<CatalogueGrain> logger)
    : Grain, ICatalogueGrain
{
    private const int MaxBatch = 512;

    /// <summary>Photos handed in while the previous batch was being written; they go into the next batch.</summary>
    private readonly List<WaitingFiling> waiting = [];
    private bool writing;
    private readonly RepeatedErrors failures = new();

    /// <summary>
    /// Concurrent calls (the grain is reentrant) are written together, one transaction per batch
    /// (<see cref="CatalogueUpsert"/>): filing row by row made the database the whole pipeline's ceiling on a GPU silo.
    /// </summary>
    public Task File(CatalogueItem item, CancellationToken cancellation)
    {
        var filed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting.Add(new WaitingFiling(item, filed, cancellation));
        if (!writing)
        {
            writing = true;
            // The loop writes batch after batch of other callers' filings: left in this caller's trace, every later
            // batch's database spans hung under this one photo's span, long ended, or went unsampled with it.
            var caller = Activity.Current;
            Activity.Current = null;
            _ = WriteWaiting();
            Activity.Current = caller;
        }

        return filed.Task;
    }

    /// <summary>Runs on the grain's turns, so <see cref="waiting"/> needs no lock.</summary>
    private async Task WriteWaiting()
    {
        while (waiting.Count > 0)
        {
            // SQLite's calls complete synchronously: without this yield the filings already delivered to this
            // activation would only be read after the write, and every batch would hold one photo.
            await Task.Yield();
            var batch = waiting.Take(MaxBatch).ToList();
            waiting.RemoveRange(0, batch.Count);
            // A photo whose image grain gave up (past its deadline) is handed over again by the next poll, or not at all
            // when its account was removed meanwhile: writing it now could put it back on a shelf.
            batch.RemoveAll(b => b.Cancellation.IsCancellationRequested && b.Filed.TrySetCanceled(b.Cancellation));
            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await gate.Run(() => FileAll(batch.Select(b => b.Item).ToList()));
                CatalogueMetrics.RecordBatch(batch.Count);
                batch.ForEach(b => b.Filed.TrySetResult());
            }
            catch (Exception e) when (batch.Count > 1 && RefusesRow(e))
            {
                // The database refused a value: that row's photo fails, not the photos of other shops filed with it.
                foreach (var filing in batch)
                {
                    await FileAlone(filing.Item, filing.Filed);
                }
            }
            catch (Exception e)
            {
                if (failures.ShouldLog(RepeatedErrors.KindOf(e), out var leftOut))
                {
                    // At most once a minute alike: while the database is down every batch fails, several a second.
                    logger.LogWarning(e, "Filing {Count} photos failed (the first: {ImageIds}); {LeftOut} more batches failed alike since the last one logged",
                        batch.Count, string.Join(", ", batch.Take(3).Select(b => b.Item.ImageId)), leftOut);
                }
                batch.ForEach(b => b.Filed.TrySetException(e));
            }
        }

        writing = false;
    }

    private async Task FileAlone(CatalogueItem item, TaskCompletionSource filed)
    {
        try
        {
            await gate.Run(() => FileAll([item]));
            CatalogueMetrics.RecordBatch(1);
            filed.TrySetResult();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Filing image {ImageId} failed", item.ImageId);
            filed.TrySetException(e);
        }
    }

    /// <summary>
    /// A data or constraint error (SQLSTATE classes 22 and 23) belongs to a row; anything else (the database
    /// unreachable, a timeout) would fail each row alone just the same, one slow attempt after another.
    /// </summary>
    private static bool RefusesRow(Exception e) => SqlStates(e).Any(state => state is ['2', '2' or '3', ..]);

    /// <summary>The SQLSTATE of every database exception in the chain (EF Core wraps the provider's).</summary>
    private static IEnumerable<string> SqlStates(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is System.Data.Common.DbException { SqlState: { } state })
            {
                yield return state;
            }
        }
    }

    /// <summary>
    /// Writes a batch, again if PostgreSQL ended it to break a deadlock (40P01): a withdrawal of an account locks its rows
    /// in index order while a batch locks them in its own, and before, all of the batch's photos failed with it.
    /// </summary>
    private async Task FileAll(IReadOnlyList<CatalogueItem> items)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await databases.CreateDbContextAsync();
                await CatalogueUpsert.File(db, items);
                return;
            }
            catch (Exception e) when (attempt < 3 && Deadlocked(e))
            {
                logger.LogInformation("Filing {Count} photos met a deadlock; writing them again (attempt {Attempt})", items.Count, attempt + 1);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt * (0.5 + Random.Shared.NextDouble())));
            }
        }
    }

    private static bool Deadlocked(Exception e) => SqlStates(e).Any(state => state is "40P01" or "40001");

    public Task<CatalogueItem?> Label(ModeratorLabel label) => gate.Run(() => WriteLabel(label));

    private async Task<CatalogueItem?> WriteLabel(ModeratorLabel label)
    {
        await using var db = await databases.CreateDbContextAsync();
        for (var attempt = 1; ; attempt++)
        {
            var row = await db.Items.AsNoTracking().FirstOrDefaultAsync(i => i.ImageId == label.ImageId);
            if (row is null)
            {
                return null;
            }

            var read = row.Status;
            Apply(row, label);
            // Written only over the status it was decided on: on PostgreSQL a sweep withdrawing the post can land
            // between the read and the write, and a plain save put such photos back on the shelves.
            var written = await db.Items.Where(i => i.ImageId == label.ImageId && i.Status == read).ExecuteUpdateAsync(set => set
                .SetProperty(i => i.Status, row.Status)
                .SetProperty(i => i.Colour, row.Colour)
                .SetProperty(i => i.ColourProbability, row.ColourProbability)
                .SetProperty(i => i.Category, row.Category)
                .SetProperty(i => i.CategoryProbability, row.CategoryProbability)
                .SetProperty(i => i.ModelVersion, row.ModelVersion)
                .SetProperty(i => i.Error, row.Error)
                .SetProperty(i => i.UpdatedAt, row.UpdatedAt));
            if (written == 1)
            {
                return CatalogueItems.ToItem(row);
            }

            if (attempt == 5)
            {
                throw new InvalidOperationException($"Image {label.ImageId} changed status {attempt} times while its label was being written; label it again.");
            }
        }
    }

    /// <summary>The row as the label leaves it.</summary>
    private static void Apply(CatalogueRow row, ModeratorLabel label)
    {
        if (label.Outside)
        {
            // The model's guesses stay on the row for reference; the status keeps them off every shelf.
            if (label.Colour is not null || label.Category is not null)
            {
                throw new ArgumentException($"Image {label.ImageId}: a photo outside the catalogue's categories takes no colour or category; give one or the other.");
            }

            row.Status = ImageStatus.Excluded.ToString();
        }
        else
        {
            Relabel(row, label);
            if (row.Status != ImageStatus.Withdrawn.ToString()) // its post is gone: the labels wait for it to come back
            {
                row.Status = ImageStatus.Catalogued.ToString();
            }
        }

        row.ModelVersion = ModeratorLabel.Source;
        row.Error = null;
        row.UpdatedAt = DateTimeOffset.UtcNow;
    }

    private static void Relabel(CatalogueRow row, ModeratorLabel label)
    {
        if (label.Colour is { } colour)
        {
            row.Colour = colour;
            row.ColourProbability = 1;
        }

        if (label.Category is { } category)
        {
            row.Category = category;
            row.CategoryProbability = 1;
        }

        if (row.Colour is null || row.Category is null)
        {
            throw new ArgumentException($"Image {label.ImageId} has no model answer to keep (status {row.Status}): give both its colour and its category.");
        }
    }

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

    private sealed record WaitingFiling(CatalogueItem Item, TaskCompletionSource Filed, CancellationToken Cancellation);
}
