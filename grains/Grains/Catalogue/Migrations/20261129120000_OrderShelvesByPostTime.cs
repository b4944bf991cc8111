using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Vitrina.Grains.Catalogue.Migrations;

/// <summary>
/// Shelves list the newest posts first: an index that reads a colour x category cell in post-time order (backwards),
/// and a post time for every row, which filings now always give (the filing time when the source has none).
/// </summary>
[DbContext(typeof(CatalogueDbContext))]
[Migration("20261129120000_OrderShelvesByPostTime")]
public sealed class OrderShelvesByPostTime : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.Sql("UPDATE items SET posted_at = updated_at WHERE posted_at IS NULL");
        migration.CreateIndex("ix_items_status_colour_category_posted_at_image_id", "items", ["status", "colour", "category", "posted_at", "image_id"]);
    }

    protected override void Down(MigrationBuilder migration) =>
        migration.DropIndex("ix_items_status_colour_category_posted_at_image_id", "items");
}
