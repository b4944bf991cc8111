using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// Files a batch of images in one <c>INSERT ... ON CONFLICT (image_id) DO UPDATE</c>, a statement PostgreSQL and SQLite
/// both accept. The database settles two silos filing the same image atomically, and a row is kept as it is when a
/// moderator labelled it or when it was catalogued and this filing is a failure (a photo deleted at the source since).
/// EF Core's change tracking did the same with a read, a compare and a write: 14 % of the pipeline's CPU on the 2-core
/// dev machine, and a race to retry row by row.
/// </summary>
internal static class CatalogueUpsert
{
    private static readonly string[] Columns =
    [
        "image_id", "account", "post_id", "status", "colour", "colour_p", "category", "category_p", "model_version", "error",
        "permalink", "caption", "posted_at", "updated_at", "source", "source_kind", "media_id",
    ];

    private static readonly string Conflict =
        " ON CONFLICT (image_id) DO UPDATE SET " + string.Join(", ", Columns.Skip(1).Select(c => $"{c} = excluded.{c}")) +
        " WHERE COALESCE(items.model_version, '') <> @moderator" +
        $" AND NOT (excluded.status = '{nameof(ImageStatus.Failed)}' AND items.status <> '{nameof(ImageStatus.Failed)}')";

    public static async Task File(CatalogueDbContext db, IReadOnlyList<CatalogueItem> items)
    {
        // One statement may not touch a row twice: of repeats within the batch the last success wins.
        var rows = items.GroupBy(i => i.ImageId)
            .Select(g => g.LastOrDefault(i => i.Status != ImageStatus.Failed) ?? g.Last())
            .ToList();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            var sql = new StringBuilder("INSERT INTO items (").AppendJoin(", ", Columns).Append(") VALUES ");
            for (var r = 0; r < rows.Count; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                var values = Values(rows[r]);
                for (var c = 0; c < values.Length; c++)
                {
                    var name = $"@p{r * Columns.Length + c}";
                    sql.Append(c == 0 ? name : ", " + name);
                    Add(command, name, values[c]);
                }

                sql.Append(')');
            }

            command.CommandText = sql.Append(Conflict).ToString();
            Add(command, "@moderator", ModeratorLabel.Source);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The row's values in the order of <see cref="Columns"/>.</summary>
    private static object?[] Values(CatalogueItem item) =>
    [
        item.ImageId, item.Account, item.PostId, item.Status.ToString(), item.Colour, item.ColourProbability, item.Category,
        item.CategoryProbability, item.ModelVersion, item.Error, item.Permalink, item.Caption, item.PostedAt?.ToUniversalTime(),
        item.UpdatedAt.ToUniversalTime(), item.Source, item.SourceKind, item.MediaId,
    ];

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
