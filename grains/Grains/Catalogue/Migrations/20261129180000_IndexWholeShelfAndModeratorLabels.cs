using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Vitrina.Grains.Catalogue.Migrations;

/// <summary>
/// Two reads that scanned the whole table at millions of rows: the shelf of every catalogued photo, newest first (the
/// public shelf without a colour or a category), and the moderator labels retraining lists, newest first. Each index
/// holds only the rows it serves, so filings that touch neither kind of row do not pay for it.
/// </summary>
[DbContext(typeof(CatalogueDbContext))]
[Migration("20261129180000_IndexWholeShelfAndModeratorLabels")]
public sealed class IndexWholeShelfAndModeratorLabels : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateIndex("ix_items_catalogued_posted_at_image_id", "items", ["posted_at", "image_id"], filter: "status = 'Catalogued'");
        migration.CreateIndex("ix_items_moderator_updated_at", "items", ["updated_at", "image_id"], filter: "model_version = 'moderator'");
    }

    protected override void Down(MigrationBuilder migration)
    {
        migration.DropIndex("ix_items_moderator_updated_at", "items");
        migration.DropIndex("ix_items_catalogued_posted_at_image_id", "items");
    }
}
