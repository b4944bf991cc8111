using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Vitrina.Grains.Catalogue;
using Vitrina.Tests.Support;

namespace Vitrina.Tests.Storage;

public sealed class CatalogueMigrationTests
{
    /// <summary>Found by starting a local cluster of two silos on a fresh database: the second failed to start.</summary>
    [Fact]
    public async Task Silos_starting_together_on_a_fresh_database_migrate_the_catalogue_once_and_all_start()
    {
        await using var database = new TestDatabase();
        var options = new CatalogueDatabaseOptions { ConnectionString = TestDatabase.ConnectionString, Schema = database.Schema };
        var builder = new DbContextOptionsBuilder<CatalogueDbContext>();
        CatalogueDatabase.Configure(builder, options);
        var factory = new PooledDbContextFactory<CatalogueDbContext>(builder.Options);

        var applied = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => CatalogueDatabase.Migrate(options, CancellationToken.None))));

        await using var db = await factory.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(0, await db.Items.CountAsync());
        // One of them applied every migration; the others found nothing to do.
        Assert.Single(applied, a => a.Count > 0);
        Assert.Equal(db.Database.GetMigrations(), applied.Single(a => a.Count > 0));
    }
}
