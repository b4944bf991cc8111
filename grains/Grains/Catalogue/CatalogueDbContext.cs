using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Vitrina.Grains.Catalogue;

/// <summary>The catalogue database (PostgreSQL in production, SQLite for the single-node default).</summary>
public sealed class CatalogueDbContext(DbContextOptions<CatalogueDbContext> options) : DbContext(options)
{
    public DbSet<CatalogueRow> Items => Set<CatalogueRow>();
    public DbSet<ThumbnailRow> Thumbnails => Set<ThumbnailRow>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        var item = model.Entity<CatalogueRow>();
        item.ToTable("items");
        item.HasKey(i => i.ImageId);
        item.Property(i => i.ImageId).HasColumnName("image_id");
        item.Property(i => i.Account).HasColumnName("account");
        item.Property(i => i.PostId).HasColumnName("post_id");
        item.Property(i => i.Status).HasColumnName("status");
        item.Property(i => i.Colour).HasColumnName("colour");
        item.Property(i => i.ColourProbability).HasColumnName("colour_p");
        item.Property(i => i.Category).HasColumnName("category");
        item.Property(i => i.CategoryProbability).HasColumnName("category_p");
        item.Property(i => i.ModelVersion).HasColumnName("model_version");
        item.Property(i => i.Error).HasColumnName("error");
        item.Property(i => i.Permalink).HasColumnName("permalink");
        item.Property(i => i.Caption).HasColumnName("caption");
        item.Property(i => i.PostedAt).HasColumnName("posted_at");

        item.Property(i => i.UpdatedAt).HasColumnName("updated_at");
        if (Database.IsSqlite())
        {
            // SQLite keeps times as text, "2026-11-20 07:00:00+00:00", which EF Core will not order or compare as times;
            // as that text it will, and in UTC (as every row is written) the text sorts as the time does.
            item.Property(i => i.PostedAt).HasConversion(new DateTimeOffsetToStringConverter());
            item.Property(i => i.UpdatedAt).HasConversion(new DateTimeOffsetToStringConverter());
        }
        item.Property(i => i.Source).HasColumnName("source");
        item.Property(i => i.SourceKind).HasColumnName("source_kind");
        item.Property(i => i.MediaId).HasColumnName("media_id");
        item.Property(i => i.InTaxonomyProbability).HasColumnName("in_taxonomy_p");
        item.HasIndex(i => new { i.Status, i.Colour, i.Category, i.ImageId }).HasDatabaseName("ix_items_status_colour_category_image_id");
        item.HasIndex(i => new { i.Status, i.ImageId }).HasDatabaseName("ix_items_status_image_id");
        item.HasIndex(i => new { i.Account, i.ImageId }).HasDatabaseName("ix_items_account_image_id");
        item.HasIndex(i => new { i.Status, i.Colour, i.Category, i.PostedAt, i.ImageId }).HasDatabaseName("ix_items_status_colour_category_posted_at_image_id");

        var thumbnail = model.Entity<ThumbnailRow>();
        thumbnail.ToTable("thumbnails");
        thumbnail.HasKey(t => t.ImageId);
        thumbnail.Property(t => t.ImageId).HasColumnName("image_id");
        thumbnail.Property(t => t.Jpeg).HasColumnName("jpeg");
    }
}
