using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vitrina.Grains.Catalogue;

namespace Vitrina.Grains.Hosting;

/// <summary>Brings the catalogue database to the current schema before the silo takes work.</summary>
public sealed class CatalogueMigration(
    IDbContextFactory<CatalogueDbContext> databases, IOptions<CatalogueDatabaseOptions> options, ILogger<CatalogueMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await CatalogueDatabase.Migrate(databases, options.Value, cancellationToken);
        logger.LogInformation("Catalogue database ready ({Provider})",
            options.Value.IsPostgres ? $"PostgreSQL, schema {options.Value.Schema}" : $"SQLite {Path.GetFullPath(options.Value.SqlitePath)}");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
