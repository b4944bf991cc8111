using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Vitrina.Grains.Catalogue.Migrations;

/// <summary>
/// Where each photo came from, so the catalogue row is the image's only durable record: retraining fetches moderated
/// photos again from here (image grains keep no state of their own).
/// </summary>
[DbContext(typeof(CatalogueDbContext))]
[Migration("20261127000000_AddImageSource")]
public sealed class AddImageSource : Migration
{
    protected override void Up(MigrationBuilder migration)
    {
        migration.AddColumn<string>("source", "items", nullable: true);
        migration.AddColumn<string>("source_kind", "items", nullable: true);
        migration.AddColumn<string>("media_id", "items", nullable: true);
    }

    protected override void Down(MigrationBuilder migration)
    {
        migration.DropColumn("source", "items");
        migration.DropColumn("source_kind", "items");
        migration.DropColumn("media_id", "items");
    }
}
