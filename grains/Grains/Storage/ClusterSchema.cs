using System.Diagnostics;
using Npgsql;

namespace Vitrina.Grains.Storage;

/// <summary>
/// Vitrina's own PostgreSQL schema for Orleans' ADO.NET clustering, grain storage and reminders (Orleans ships no
/// SQL in its packages). The objects live unqualified in the connection's current schema, where the providers look.
/// </summary>
public static class ClusterSchema
{
    /// <summary>
    /// The schema version this build writes. Scripts are idempotent and always run whole, so raising this number
    /// after changing a script is all an upgrade takes: version N's scripts bring an empty or older database to N.
    /// </summary>
    public const int Version = 1;

    /// <summary>Every key the providers read from OrleansQuery (10.4.2); the optional ones included.</summary>
    public static IReadOnlyList<string> QueryKeys { get; } =
    [
        "InsertMembershipVersionKey", "MembershipReadAllKey", "MembershipReadRowKey", "InsertMembershipKey",
        "UpdateMembershipKey", "UpdateIAmAlivetimeKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey", "GatewaysQueryKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    private const string Component = "orleans";

    // Any constant every silo agrees on; silos starting together queue on it instead of racing the DDL.
    private const long LockKey = 0x5669_7472_696E_6101;

    /// <summary>
    /// Creates or upgrades the schema in one transaction under an advisory lock, so concurrent callers apply it once
    /// each, in turn, harmlessly. Refuses a foreign or newer schema without changing anything.
    /// </summary>
    public static async Task<SchemaReport> Apply(string connectionString, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var (connection, target) = await Open(connectionString, cancellationToken);
        await using var _ = connection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Scalar(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey})", cancellationToken);

        var before = await Probe(connection, transaction, cancellationToken);
        if (before.Status is SchemaStatus.Foreign or SchemaStatus.Newer)
        {
            throw new ClusterSchemaException(before.Detail);
        }

        var ran = new List<string>();
        foreach (var (name, sql) in SchemaScripts.All)
        {
            try
            {
                await Scalar(connection, transaction, sql, cancellationToken);
            }
            catch (PostgresException e)
            {
                throw new ClusterSchemaException(
                    $"Schema script {name} failed on {ClusterSchemaException.Describe(target)}: {e.MessageText} (SQLSTATE {e.SqlState}). " +
                    "Nothing was changed; the connection's user needs the right to create tables and functions in its schema.", e);
            }
            ran.Add(name);
        }

        await using (var record = new NpgsqlCommand(
            """
            INSERT INTO vitrina_schema_version (component, version, applied_at) VALUES (@component, @version, now())
            ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = EXCLUDED.applied_at
            """, connection, transaction))
        {
            record.Parameters.AddWithValue("component", Component);
            record.Parameters.AddWithValue("version", Version);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        var queries = Convert.ToInt32(await Scalar(connection, transaction, "SELECT count(*) FROM OrleansQuery", cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return new SchemaReport(before, Version, ran, queries, clock.Elapsed);
    }

    /// <summary>Reads, without changing anything, whether the database holds our schema and at which version.</summary>
    public static async Task<SchemaState> Inspect(string connectionString, CancellationToken cancellationToken = default)
    {
        var (connection, _) = await Open(connectionString, cancellationToken);
        await using (connection)
        {
            return await Probe(connection, null, cancellationToken);
        }
    }

    private static async Task<SchemaState> Probe(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        var schema = (await Scalar(connection, transaction, "SELECT current_schema()", cancellationToken)) as string ?? "(none)";
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v')
               AND (c.relname LIKE 'orleans%' OR c.relname = 'vitrina_schema_version')
             ORDER BY c.relname
            """, connection, transaction))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        var orleansTables = tables.Where(t => t != "vitrina_schema_version").ToList();
        int? version = tables.Contains("vitrina_schema_version")
            ? await Scalar(connection, transaction, $"SELECT version FROM vitrina_schema_version WHERE component = '{Component}'", cancellationToken) as int?
            : null;

        if (version is null)
        {
            return orleansTables.Count == 0
                ? new SchemaState(SchemaStatus.Empty, null, $"Schema '{schema}' has no Orleans tables yet; applying the cluster schema creates them.")
                : new SchemaState(SchemaStatus.Foreign, null,
                    $"Schema '{schema}' already has Orleans tables ({string.Join(", ", orleansTables)}) that Vitrina did not create " +
                    "(no vitrina_schema_version row): they may belong to another application or to Orleans' own scripts. " +
                    "Point the cluster at an empty database, or drop those tables if nothing uses them, then apply again.");
        }

        if (version > Version)
        {
            return new SchemaState(SchemaStatus.Newer, version,
                $"Schema '{schema}' carries cluster schema version {version}, newer than this build's {Version}: " +
                "run the Vitrina build that wrote it (or a later one); this one will not touch it.");
        }

        if (version < Version)
        {
            return new SchemaState(SchemaStatus.Older, version,
                $"Schema '{schema}' carries cluster schema version {version}; this build needs {Version}: {ClusterSchemaException.MigrateHint}.");
        }

        var missing = await MissingQueryKeys(connection, transaction, cancellationToken);
        return missing.Count == 0
            ? new SchemaState(SchemaStatus.Current, version, $"Schema '{schema}' carries cluster schema version {version}, as this build expects.")
            : new SchemaState(SchemaStatus.Older, version,
                $"Schema '{schema}' says version {version} but OrleansQuery lacks {string.Join(", ", missing)}: {ClusterSchemaException.MigrateHint}.");
    }

    private static async Task<List<string>> MissingQueryKeys(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT QueryKey FROM OrleansQuery", connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var present = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            present.Add(reader.GetString(0));
        }
        return QueryKeys.Where(key => !present.Contains(key)).ToList();
    }

    private static async Task<(NpgsqlConnection, NpgsqlConnectionStringBuilder)> Open(string connectionString, CancellationToken cancellationToken)
    {
        NpgsqlConnectionStringBuilder target;
        try
        {
            target = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ClusterSchemaException($"The cluster connection string is not valid: {e.Message}", e);
        }

        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return (connection, target);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            await connection.DisposeAsync();
            throw ClusterSchemaException.ConnectionFailed(target, e);
        }
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
