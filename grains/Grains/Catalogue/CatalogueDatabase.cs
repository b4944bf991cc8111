using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Vitrina.Grains.Catalogue;

/// <summary>Configures the catalogue's EF Core provider and brings the database to the current schema.</summary>
public static class CatalogueDatabase
{
    public static void Configure(DbContextOptionsBuilder builder, CatalogueDatabaseOptions options)
    {
        if (options.IsPostgres)
        {
            // The schema goes first on the search path, so the (schema-less) model and its migration land there.
            var npgsql = new NpgsqlConnectionStringBuilder(options.ConnectionString) { SearchPath = options.Schema };
            builder.UseNpgsql(npgsql.ConnectionString, o => o.MigrationsHistoryTable("__ef_migrations", options.Schema));
        }
        else
        {
            var path = Path.GetFullPath(options.SqlitePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.UseSqlite($"Data Source={path}").AddInterceptors(new SqliteWriteAheadLog());
        }

        // The hand-written migration has no model snapshot to compare against.
        builder.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));
    }

    /// <summary>Creates the schema if needed and applies pending migrations; safe to run any number of times.</summary>
    public static async Task Migrate(IDbContextFactory<CatalogueDbContext> factory, CatalogueDatabaseOptions options, CancellationToken cancellation)
    {
        await using var db = await factory.CreateDbContextAsync(cancellation);
        if (db.Database.IsNpgsql())
        {
            await using var connection = new NpgsqlConnection(options.ConnectionString);
            await connection.OpenAsync(cancellation);
            await using var create = new NpgsqlCommand($"CREATE SCHEMA IF NOT EXISTS \"{options.Schema.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellation);
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellation);
        }

        await db.Database.MigrateAsync(cancellation);
    }
}
