using Microsoft.EntityFrameworkCore;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// The moderator's labels: a colour and category that replace the model's, or "outside the categories", which takes the
/// photo off every shelf.
/// </summary>
public sealed partial class CatalogueGrain
{
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
}
