using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Vitrina.Grains.Catalogue.Migrations;

/// <summary>
/// The shelves' thumbnails (<see cref="ThumbnailRow"/>): bytea on PostgreSQL, BLOB on SQLite. Rows filed before have
/// none until their photo is filed again.
/// </summary>
[DbContext(typeof(CatalogueDbContext))]
[Migration("20261129000000_AddThumbnails")]
public sealed class AddThumbnails : Migration
{
    protected override void Up(MigrationBuilder migration) =>
        migration.CreateTable(
            name: "thumbnails",
            columns: table => new
            {
                image_id = table.Column<string>(nullable: false),
                jpeg = table.Column<byte[]>(nullable: false),
            },
            constraints: table => table.PrimaryKey("pk_thumbnails", x => x.image_id));

    protected override void Down(MigrationBuilder migration) => migration.DropTable("thumbnails");
}
