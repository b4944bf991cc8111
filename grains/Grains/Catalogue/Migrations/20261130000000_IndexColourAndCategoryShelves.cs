using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Vitrina.Grains.Catalogue.Migrations;

/// <summary>
/// The shelves of one colour across all categories, and of one category across all colours, newest first: the index
/// by status, colour, category and post time serves only shelves that name both, so these read every catalogued row of
/// their colour (or of the whole table, for a category) and sorted it. Partial, as the whole shelf's index is.
/// </summary>
[DbContext(typeof(CatalogueDbContext))]
[Migration("20261130000000_IndexColourAndCategoryShelves")]
public sealed class IndexColourAndCategoryShelves : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateIndex("ix_items_catalogued_colour_posted_at_image_id", "items", ["colour", "posted_at", "image_id"], filter: "status = 'Catalogued'");
        migration.CreateIndex("ix_items_catalogued_category_posted_at_image_id", "items", ["category", "posted_at", "image_id"], filter: "status = 'Catalogued'");
    }

    protected override void Down(MigrationBuilder migration)
    {
        migration.DropIndex("ix_items_catalogued_category_posted_at_image_id", "items");
        migration.DropIndex("ix_items_catalogued_colour_posted_at_image_id", "items");
    }
}
