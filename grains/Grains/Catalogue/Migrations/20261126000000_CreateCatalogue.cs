using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Vitrina.Grains.Catalogue.Migrations;

/// <summary>
/// The catalogue table. Written by hand without provider annotations so that one migration serves both PostgreSQL
/// and SQLite; column types follow each provider's defaults for the CLR types.
/// </summary>
[DbContext(typeof(CatalogueDbContext))]
[Migration("20261126000000_CreateCatalogue")]
public sealed class CreateCatalogue : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.CreateTable(
            name: "items",
            columns: table => new
            {
                image_id = table.Column<string>(nullable: false),
                account = table.Column<string>(nullable: false),
                post_id = table.Column<string>(nullable: false),
                status = table.Column<string>(nullable: false),
                colour = table.Column<string>(nullable: true),
                colour_p = table.Column<float>(nullable: false),
                category = table.Column<string>(nullable: true),
                category_p = table.Column<float>(nullable: false),
                model_version = table.Column<string>(nullable: true),
                error = table.Column<string>(nullable: true),
                permalink = table.Column<string>(nullable: true),
                caption = table.Column<string>(nullable: true),
                posted_at = table.Column<DateTimeOffset>(nullable: true),
                updated_at = table.Column<DateTimeOffset>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_items", x => x.image_id));
        migration.CreateIndex("ix_items_status_colour_category", "items", ["status", "colour", "category"]);
        migration.CreateIndex("ix_items_account", "items", "account");
    }

    protected override void Down(MigrationBuilder migration) => migration.DropTable("items");
}
