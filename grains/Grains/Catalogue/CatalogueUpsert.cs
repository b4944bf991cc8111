using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// Files a batch of images in one transaction of <c>INSERT ... ON CONFLICT (image_id) DO UPDATE</c> statements, which
/// PostgreSQL and SQLite both accept. The database settles two silos filing the same image atomically, and a row is kept
/// as it is when a moderator labelled it, or when this filing is a failure and the row is not (a photo catalogued or
/// queued, or withdrawn, whose source can no longer be read).
/// EF Core's change tracking did the same with a read, a compare and a write: 14 % of the pipeline's CPU on the 2-core
/// dev machine, and a race to retry row by row.
/// </summary>
internal static class CatalogueUpsert
{
    private static readonly string[] Columns =
    [
        "image_id", "account", "post_id", "status", "colour", "colour_p", "category", "category_p", "model_version", "error",
        "permalink", "caption", "posted_at", "updated_at", "source", "source_kind", "media_id", "in_taxonomy_p",
    ];

    private static readonly string Conflict =
        " ON CONFLICT (image_id) DO UPDATE SET " + string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}")) +
        " WHERE COALESCE(items.model_version, '') <> @moderator" +
        $" AND NOT (excluded.status = '{nameof(ImageStatus.Failed)}' AND items.status <> '{nameof(ImageStatus.Failed)}')";

    /// <summary>
    /// Rows per statement: on PostgreSQL, 64 rows per round trip. On SQLite, one: it runs in the process, so there are no
    /// round trips to save, and Microsoft.Data.Sqlite binds every parameter by name, which SQLite looks up by a linear
    /// search: a 64-row statement (1,088 parameters) spent a fifth of the CPU comparing parameter names (perf, catalogue
    /// bench) and one 512-row statement collapsed at high concurrency. Either way the full-sized statement is prepared
    /// once per batch and reused.
    /// </summary>
    private static int RowsPerStatement(CatalogueDbContext db) => db.Database.IsSqlite() ? 1 : 64;

    public static async Task File(CatalogueDbContext db, IReadOnlyList<CatalogueItem> items)
    {
        // One statement may not touch a row twice: of repeats within the batch the last success wins.
        var rows = items.GroupBy(i => i.ImageId)
            .Select(g => g.LastOrDefault(i => i.Status != ImageStatus.Failed) ?? g.Last())
            .ToList();
        var rowsPerStatement = RowsPerStatement(db);
        await db.Database.OpenConnectionAsync();
        try
        {
            var connection = db.Database.GetDbConnection();
            await using var transaction = await connection.BeginTransactionAsync();
            DbCommand? full = null;
            try
            {
                foreach (var chunk in rows.Chunk(rowsPerStatement))
                {
                    var command = chunk.Length == rowsPerStatement
                        ? full ??= Statement(connection, transaction, rowsPerStatement)
                        : Statement(connection, transaction, chunk.Length);
                    for (var r = 0; r < chunk.Length; r++)
                    {
                        var values = Values(chunk[r]);
                        for (var c = 0; c < values.Length; c++)
                        {
                            command.Parameters[r * Columns.Length + c].Value = values[c] ?? DBNull.Value;
                        }
                    }

                    await command.ExecuteNonQueryAsync();
                    if (command != full)
                    {
                        await command.DisposeAsync();
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

            await transaction.CommitAsync();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The upsert of <paramref name="rows"/> rows, its parameters <c>@p0</c>... in row-major order of <see cref="Columns"/>.</summary>
    private static DbCommand Statement(DbConnection connection, DbTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("INSERT INTO items (").AppendJoin(", ", Columns).Append(") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < Columns.Length; c++)
            {
                var name = $"@p{r * Columns.Length + c}";
                sql.Append(c == 0 ? name : ", " + name);
                Add(command, name, null);
            }

            sql.Append(')');
        }

        command.CommandText = sql.Append(Conflict).ToString();
        Add(command, "@moderator", ModeratorLabel.Source);
        return command;
    }

    /// <summary>The row's values in the order of <see cref="Columns"/>.</summary>
    private static object?[] Values(CatalogueItem item) =>
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
