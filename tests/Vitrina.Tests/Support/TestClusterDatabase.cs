using Npgsql;

namespace Vitrina.Tests.Support;

/// <summary>
/// A private place in the test PostgreSQL for Orleans' tables, which the providers name unqualified: a schema of its
/// own made the connection's search_path, so unqualified names (ours and Orleans') resolve there and nowhere else.
/// A schema rather than a database because the test role has no CREATEDB; dropped on dispose.
/// </summary>
public sealed class TestClusterDatabase : IAsyncDisposable
{
    public string Schema { get; } = $"cluster_{Guid.NewGuid():N}";

    public string ConnectionString { get; }

    private TestClusterDatabase() =>
        ConnectionString = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString) { SearchPath = Schema }.ConnectionString;

    public static async Task<TestClusterDatabase> Create()
    {
        var database = new TestClusterDatabase();
        await database.Execute($"CREATE SCHEMA \"{database.Schema}\"");
        return database;
    }

    /// <summary>Runs SQL with this database's search_path and returns the first column of the first row.</summary>
    public async Task<object?> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    public async Task<long> Count(string sql) => Convert.ToInt64(await Scalar(sql));

    public Task Execute(string sql) => Scalar(sql);

    public ValueTask DisposeAsync() => new(TestDatabase.DropSchema(Schema));
}
