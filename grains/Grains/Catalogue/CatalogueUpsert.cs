using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// Files a batch of images, with their thumbnails, in one transaction of <c>INSERT ... ON CONFLICT (image_id) DO UPDATE</c> statements, which
/// PostgreSQL and SQLite both accept. The database settles two silos filing the same image atomically, and a row is kept
/// as it is when a moderator labelled it, or when this filing is a failure and the row is not (a photo catalogued or
/// queued, or withdrawn, whose source can no longer be read).
/// EF Core's change tracking did the same with a read, a compare and a write: 14 % of the pipeline's CPU on the 2-core
/// dev machine, and a race to retry row by row.
/// </summary>
internal static class CatalogueUpsert
{
    /// <summary>A table's upsert: its columns (the key first), what a conflict on the key does, and named constants it uses.</summary>
    private sealed record Upsert(string Table, string[] Columns, string OnConflict, (string Name, object Value)[] Constants);

    private static readonly string[] ItemColumns =
    [
        "image_id", "account", "post_id", "status", "colour", "colour_p", "category", "category_p", "model_version", "error",
        "permalink", "caption", "posted_at", "updated_at", "source", "source_kind", "media_id", "in_taxonomy_p",
    ];

    private static readonly Upsert Items = new(
        "items",
        ItemColumns,
        " ON CONFLICT (image_id) DO UPDATE SET " + string.Join(", ", ItemColumns.Skip(1).Select(c => $"{c} = excluded.{c}")) +
        " WHERE COALESCE(items.model_version, '') <> @moderator" +
        $" AND NOT (excluded.status = '{nameof(ImageStatus.Failed)}' AND items.status <> '{nameof(ImageStatus.Failed)}')",
        [("@moderator", ModeratorLabel.Source)]);

    /// <summary>A photo filed again is the same photo: its newest thumbnail replaces the old, moderator's row or not.</summary>
    private static readonly Upsert Thumbnails = new("thumbnails", ["image_id", "jpeg"], " ON CONFLICT (image_id) DO UPDATE SET jpeg = excluded.jpeg", []);

    /// <summary>
    /// Rows per statement: on PostgreSQL, 64 rows per round trip. On SQLite, one: it runs in the process, so there are no
    /// round trips to save, and Microsoft.Data.Sqlite binds every parameter by name, which SQLite looks up by a linear
    /// search: a 64-row statement (1,088 parameters) spent a fifth of the CPU comparing parameter names (perf, catalogue
    /// bench) and one 512-row statement collapsed at high concurrency. Either way the full-sized statement is prepared
    /// once per batch and reused.
    /// </summary>
    private static int RowsPerStatement(CatalogueDbContext db) => db.Database.IsSqlite() ? 1 : 64;

    public static Task File(CatalogueDbContext db, IReadOnlyList<CatalogueItem> items)
    {
        // One statement may not touch a row twice: of repeats within the batch the last success wins.
        var rows = items.GroupBy(i => i.ImageId)
            .Select(g => g.LastOrDefault(i => i.Status != ImageStatus.Failed) ?? g.Last())
            .ToList();
        var rowsPerStatement = RowsPerStatement(db);
        return InTransaction(db, async (connection, transaction) =>
        {
            await Write(connection, transaction, Items, rows.Select(ItemValues).ToList(), rowsPerStatement);
            await Write(connection, transaction, Thumbnails,
                rows.Where(r => r.Thumbnail is not null).Select(r => new object?[] { r.ImageId, r.Thumbnail }).ToList(), rowsPerStatement);
        });
    }

    /// <summary>One thumbnail, for a row filed before thumbnails were kept.</summary>
    public static Task FileThumbnail(CatalogueDbContext db, string imageId, byte[] jpeg) =>
        InTransaction(db, (connection, transaction) => Write(connection, transaction, Thumbnails, [[imageId, jpeg]], RowsPerStatement(db)));

    private static async Task InTransaction(CatalogueDbContext db, Func<DbConnection, DbTransaction, Task> write)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync();
            await write(connection, transaction);
            await transaction.CommitAsync();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task Write(DbConnection connection, DbTransaction transaction, Upsert upsert, IReadOnlyList<object?[]> rows, int rowsPerStatement)
    {
        DbCommand? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(rowsPerStatement))
            {
                if (chunk.Length == rowsPerStatement)
                {
                    await Execute(full ??= Statement(connection, transaction, upsert, rowsPerStatement), upsert, chunk);
                }
                else
                {
                    await using var last = Statement(connection, transaction, upsert, chunk.Length);
                    await Execute(last, upsert, chunk);
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    private static async Task Execute(DbCommand command, Upsert upsert, object?[][] chunk)
    {
        for (var r = 0; r < chunk.Length; r++)
        {
            for (var c = 0; c < upsert.Columns.Length; c++)
            {
                command.Parameters[r * upsert.Columns.Length + c].Value = chunk[r][c] ?? DBNull.Value;
            }
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The upsert of <paramref name="rows"/> rows, its parameters <c>@p0</c>... in row-major order of the columns.</summary>
    private static DbCommand Statement(DbConnection connection, DbTransaction transaction, Upsert upsert, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO ").Append(upsert.Table).Append(" (").AppendJoin(", ", upsert.Columns).Append(") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < upsert.Columns.Length; c++)
            {
                var name = $"@p{r * upsert.Columns.Length + c}";
                sql.Append(c == 0 ? name : ", " + name);
                Add(command, name, null);
            }

            sql.Append(')');
        }

        command.CommandText = sql.Append(upsert.OnConflict).ToString();
        foreach (var (name, value) in upsert.Constants)
        {
            Add(command, name, value);
        }

        return command;
    }

    /// <summary>The row's values in the order of <see cref="ItemColumns"/>.</summary>
    private static object?[] ItemValues(CatalogueItem item) =>
    [
        item.ImageId, item.Account, item.PostId, item.Status.ToString(), item.Colour, item.ColourProbability, item.Category,
        item.CategoryProbability, item.ModelVersion, item.Error, item.Permalink, item.Caption, item.PostedAt?.ToUniversalTime(),
        item.UpdatedAt.ToUniversalTime(), item.Source, item.SourceKind, item.MediaId, item.InTaxonomyProbability,
    ];

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
