using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Vitrina.Grains.Catalogue.Migrations;

/// <summary>
/// The taxonomy head's verdict on each photo, so moderators can see which queued photos are probably none of the
/// categories (and exclude them) rather than labels the model was unsure of.
/// </summary>
[DbContext(typeof(CatalogueDbContext))]
[Migration("20261128000000_AddTaxonomyProbability")]
public sealed class AddTaxonomyProbability : Migration
{
    protected override void Up(MigrationBuilder migration) =>
        migration.AddColumn<float>("in_taxonomy_p", "items", nullable: true);

    protected override void Down(MigrationBuilder migration) =>
        migration.DropColumn("in_taxonomy_p", "items");
}
