namespace Vitrina.Grains.Catalogue;

/// <summary>Conversions between the catalogue's message, its table row and an image's outcome.</summary>
public static class CatalogueItems
{
    public static CatalogueItem From(ImageWork work, ImageOutcome outcome) => new()
    {
        ImageId = work.ImageId,
        Account = work.Account,
        PostId = work.PostId,
        Status = outcome.Status,
        Colour = outcome.Colour,
        ColourProbability = outcome.ColourProbability,
        Category = outcome.Category,
        CategoryProbability = outcome.CategoryProbability,
        ModelVersion = outcome.ModelVersion,
        Error = outcome.Error,
        Permalink = work.Permalink,
        Caption = work.Caption,
        PostedAt = work.PostedAt?.ToUniversalTime(),
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    public static void CopyTo(CatalogueItem item, CatalogueRow row)
    {
        row.Account = item.Account;
        row.PostId = item.PostId;
        row.Status = item.Status.ToString();
        row.Colour = item.Colour;
        row.ColourProbability = item.ColourProbability;
        row.Category = item.Category;
        row.CategoryProbability = item.CategoryProbability;
        row.ModelVersion = item.ModelVersion;
        row.Error = item.Error;
        row.Permalink = item.Permalink;
        row.Caption = item.Caption;
        row.PostedAt = item.PostedAt?.ToUniversalTime();
        row.UpdatedAt = item.UpdatedAt.ToUniversalTime();
    }

    public static CatalogueRow ToRow(CatalogueItem item)
    {
        var row = new CatalogueRow { ImageId = item.ImageId, Account = item.Account, PostId = item.PostId, Status = item.Status.ToString() };
        CopyTo(item, row);
        return row;
    }

    public static CatalogueItem ToItem(CatalogueRow row) => new()
    {
        ImageId = row.ImageId,
        Account = row.Account,
        PostId = row.PostId,
        Status = Enum.Parse<ImageStatus>(row.Status),
        Colour = row.Colour,
        ColourProbability = row.ColourProbability,
        Category = row.Category,
        CategoryProbability = row.CategoryProbability,
        ModelVersion = row.ModelVersion,
        Error = row.Error,
        Permalink = row.Permalink,
        Caption = row.Caption,
        PostedAt = row.PostedAt,
        UpdatedAt = row.UpdatedAt,
    };
}
