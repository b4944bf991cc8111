using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Orleans.Concurrency;
using Vitrina.Grains.Diagnostics;
using Vitrina.Grains.Placement;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// Files images into the catalogue table and answers catalogue queries. Upserts are keyed by image id; counts are
/// aggregated from the rows by the database, so they can never drift from what is stored. This file files photos in
/// batches; moderator labels, withdrawals, thumbnails and the shelves' reads have a file each (CatalogueGrain.*.cs).
/// </summary>
[Reentrant, SiloRole(SiloRoles.Catalogue)]
public sealed partial class CatalogueGrain(IDbContextFactory<CatalogueDbContext> databases, CatalogueWriteGate gate, ILogger<CatalogueGrain> logger)
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
            if (DropGivenUp(batch) == 0)
            {
                continue;
            }

            try
            {
                await gate.Run(() => FileAll(batch));
                CatalogueMetrics.RecordBatch(batch.Count);
                batch.ForEach(b => b.Filed.TrySetResult());
            }
            catch (Exception e) when (batch.Count > 1 && RefusesRow(e))
            {
                // The database refused a value: that row's photo fails, not the photos of other shops filed with it.
                foreach (var filing in batch)
                {
                    await FileAlone(filing);
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

    private async Task FileAlone(WaitingFiling filing)
    {
        try
        {
            await gate.Run(() => FileAll([filing]));
            CatalogueMetrics.RecordBatch(1);
            filing.Filed.TrySetResult();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Filing image {ImageId} failed", filing.Item.ImageId);
            filing.Filed.TrySetException(e);
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
    /// <remarks>
    /// Before writing a batch again, its filings whose photos were given up meanwhile are dropped: the deadlock is often
    /// with a removed account's withdrawal, and written after it, they would have put that shop's photos back on a shelf.
    /// </remarks>
    private async Task FileAll(List<WaitingFiling> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await databases.CreateDbContextAsync();
                await CatalogueUpsert.File(db, batch.Select(b => b.Item).ToList());
                return;
            }
            catch (Exception e) when (attempt < 3 && Deadlocked(e))
            {
                logger.LogInformation("Filing {Count} photos met a deadlock; writing them again (attempt {Attempt})", batch.Count, attempt + 1);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt * (0.5 + Random.Shared.NextDouble())));
                if (DropGivenUp(batch) == 0)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Answers the filings whose photos were given up as cancelled and takes them out; returns how many are left.</summary>
    private static int DropGivenUp(List<WaitingFiling> batch)
    {
        batch.RemoveAll(b => b.Cancellation.IsCancellationRequested && b.Filed.TrySetCanceled(b.Cancellation));
        return batch.Count;
    }

    private static bool Deadlocked(Exception e) => SqlStates(e).Any(state => state is "40P01" or "40001");

    private sealed record WaitingFiling(CatalogueItem Item, TaskCompletionSource Filed, CancellationToken Cancellation);
}
