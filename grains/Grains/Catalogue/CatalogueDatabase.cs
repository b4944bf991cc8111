using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using Vitrina.Grains.Storage;

namespace Vitrina.Grains.Catalogue;

/// <summary>Configures the catalogue's EF Core provider and brings the database to the current schema.</summary>
public static class CatalogueDatabase
{
    public static void Configure(DbContextOptionsBuilder builder, CatalogueDatabaseOptions options)
    {
        if (options.IsPostgres)
        {
            // The schema goes first on the search path, so the (schema-less) model and its migration land there.
            var npgsql = new NpgsqlConnectionStringBuilder(ConnectionPools.Capped(options.ConnectionString!, options.MaxConnections))
            {
                SearchPath = options.Schema,
            };
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

    /// <summary>Held while a process migrates the catalogue (a key of its own, next to the cluster schema's).</summary>
    private const long MigrationLockKey = 0x5669_7472_696E_6102;

    /// <summary>
    /// Upgrading a catalogue of millions of rows builds indexes and rewrites columns for minutes: Npgsql's default
    /// 30 s per command failed such a migration, and the silo with it, at every start.
    /// </summary>
    private static readonly TimeSpan MigrationCommandTimeout = TimeSpan.FromHours(2);

    /// <summary>
    /// Creates the schema if needed and applies pending migrations; safe to run any number of times, also by several
    /// silos starting together on a fresh database: on PostgreSQL one migrates at a time under an advisory lock, and the
    /// others find the work done (unlocked, two raced to create the same table and column and one failed to start).
    /// </summary>
    /// <returns>The migrations this call applied: none when another process had already.</returns>
    public static async Task<IReadOnlyList<string>> Migrate(CatalogueDatabaseOptions options, CancellationToken cancellation)
    {
        var builder = new DbContextOptionsBuilder<CatalogueDbContext>();
        Configure(builder, options);
        await using var db = new CatalogueDbContext(builder.Options);
        db.Database.SetCommandTimeout(MigrationCommandTimeout);
        if (!db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellation);
            return await Apply(db, cancellation);
        }

        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(cancellation);
        await Execute(connection, $"SELECT pg_advisory_lock({MigrationLockKey})", cancellation);
        try
        {
            await Execute(connection, $"CREATE SCHEMA IF NOT EXISTS \"{options.Schema.Replace("\"", "\"\"")}\"", cancellation);
            return await Apply(db, cancellation);
        }
        finally
        {
            await Execute(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
        }
    }

    private static async Task<IReadOnlyList<string>> Apply(CatalogueDbContext db, CancellationToken cancellation)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellation)).ToList();
        await db.Database.MigrateAsync(cancellation);
        return pending;
    }

    /// <summary>With the migrations' timeout: waiting for the lock is waiting for another process's migration.</summary>
    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = (int)MigrationCommandTimeout.TotalSeconds };
        await command.ExecuteNonQueryAsync(cancellation);
    }
}
