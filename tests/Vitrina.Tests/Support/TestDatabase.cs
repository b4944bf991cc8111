using Npgsql;

namespace Vitrina.Tests.Support;

/// <summary>
/// A private schema in the test PostgreSQL (started by .ci/run via deploy/pg-up.sh; connection string from
/// VITRINA_TEST_PG), dropped on dispose so tests never see each other's rows.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("VITRINA_TEST_PG") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=5432;Username=vitrina;Password=vitrina;Database=vitrina_test";

    public string Schema { get; } = $"test_{Guid.NewGuid():N}";

    public async Task<long> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", Schema), connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>The first column of every row a query returns, as text.</summary>
    public async Task<List<string>> Strings(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", Schema), connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0))!);
        }

        return values;
    }

    public ValueTask DisposeAsync() => new(DropSchema(Schema));

    /// <summary>Drops a test's schema once its cluster is gone.</summary>
    internal static async Task DropSchema(string schema)
    {
        // Each test's cluster pools connections under its own connection string (its schema on the search path), and
        // Npgsql keeps idle ones open for 5 minutes: over a whole run they filled PostgreSQL's 200 connection slots
        // ("remaining connection slots are reserved"). This test's cluster is gone by now; close what it left idle.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
