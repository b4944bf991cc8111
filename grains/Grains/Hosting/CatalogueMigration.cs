using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Vitrina.Grains.Catalogue;

namespace Vitrina.Grains.Hosting;

/// <summary>Brings the catalogue database to the current schema before the silo takes work.</summary>
public sealed class CatalogueMigration(IOptions<CatalogueDatabaseOptions> options, ILogger<CatalogueMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await CatalogueDatabase.Migrate(options.Value, cancellationToken);
        logger.LogInformation("Catalogue database ready ({Provider}); migrations applied now: {Applied}",
            options.Value.IsPostgres ? $"PostgreSQL, schema {options.Value.Schema}" : $"SQLite {Path.GetFullPath(options.Value.SqlitePath)}",
            applied.Count == 0 ? "none" : string.Join(", ", applied));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
