using System.Data;
using Npgsql;
using Vitrina.Grains.Storage;
using Vitrina.Tests.Support;

namespace Vitrina.Tests.Storage;

/// <summary>
/// The ETag paths a healthy silo rarely takes (stale versions, duplicate inserts, deletes), run straight from
/// OrleansQuery with parameters typed as the 10.4.2 providers type them.
/// </summary>
public sealed class OrleansQueryContractTests
{
    [Fact]
    public async Task Grain_state_versions_refuse_stale_writers()
    {
        await using var database = await Applied();
        Task<object?> Write(int? version, byte[] payload) => Run(database, "WriteToStorageKey", Key(version).Append(P("PayloadBinary", payload, DbType.Binary)).ToArray());

        Assert.Equal(1, await Write(null, [1]));
        Assert.Null(await Write(null, [2]));          // a second first-writer loses
        Assert.Equal(2, await Write(1, [3]));
        Assert.Null(await Write(1, [4]));             // stale ETag
        Assert.Equal(3, await Run(database, "ClearStorageKey", Key(2)));
        Assert.Null(await Run(database, "ReadFromStorageKey", Key(null)));   // first column: the payload, cleared
        Assert.Equal(4, await Write(3, [5]));
        Assert.Equal(5, await Run(database, "DeleteStorageKey", Key(4)));
        Assert.Equal(0, await database.Count("SELECT count(*) FROM orleans_grain_state"));
        Assert.Equal(1, await Write(null, [6]));
    }

    [Fact]
    public async Task Membership_moves_its_version_only_when_a_change_lands()
    {
        await using var database = await Applied();
        var silo = Silo();

        Assert.Equal(true, await Run(database, "InsertMembershipVersionKey", P("DeploymentId", "c", DbType.String)));
        Assert.Equal(false, await Run(database, "InsertMembershipVersionKey", P("DeploymentId", "c", DbType.String)));
        Assert.Equal(true, await Run(database, "InsertMembershipKey", [.. silo, P("Version", 0, DbType.Int32)]));
        Assert.Equal(false, await Run(database, "InsertMembershipKey", [.. silo, P("Version", 1, DbType.Int32)]));  // already listed
        Assert.Equal(false, await Run(database, "InsertMembershipKey", [.. silo, P("Version", 0, DbType.Int32)]));  // stale version
        Assert.Equal(1, await database.Scalar("SELECT version FROM orleans_cluster"));

        Assert.Equal(true, await Run(database, "UpdateMembershipKey",
            P("DeploymentId", "c", DbType.String), P("Address", "127.0.0.1", DbType.AnsiString), P("Port", 11111, DbType.Int32),
            P("Generation", 7, DbType.Int32), P("Status", 3, DbType.Int32), P("SuspectTimes", null, DbType.String),
            P("IAmAliveTime", DateTime.UtcNow, DbType.DateTime), P("Version", 1, DbType.Int32)));
        Assert.Equal(2, await Run(database, "MembershipReadAllKey", P("DeploymentId", "c", DbType.String)));
        Assert.Equal("127.0.0.1", await Run(database, "GatewaysQueryKey", P("DeploymentId", "c", DbType.String), P("Status", 3, DbType.Int32)));
    }

    [Fact]
    public async Task Reminder_etags_guard_deletes()
    {
        await using var database = await Applied();
        var reminder = new[]
        {
            P("ServiceId", "s", DbType.String), P("GrainId", "keepsake/k-1", DbType.AnsiString), P("ReminderName", "nudge", DbType.String),
        };
        NpgsqlParameter[] Upsert(long period) =>
            [.. reminder, P("StartTime", DateTime.UtcNow, DbType.DateTime), P("Period", period, DbType.Int64), P("GrainHash", -5, DbType.Int32)];

        Assert.Equal(0, await Run(database, "UpsertReminderRowKey", Upsert(60_000)));
        Assert.Equal(1, await Run(database, "UpsertReminderRowKey", Upsert(3_000_000_000)));   // a period past int
        Assert.Equal(false, await Run(database, "DeleteReminderRowKey", [.. reminder, P("Version", 0, DbType.Int32)]));
        Assert.Equal("keepsake/k-1", await Run(database, "ReadRangeRows1Key", P("ServiceId", "s", DbType.String), P("BeginHash", -6, DbType.Int32), P("EndHash", -5, DbType.Int32)));
        Assert.Null(await Run(database, "ReadRangeRows1Key", P("ServiceId", "s", DbType.String), P("BeginHash", -5, DbType.Int32), P("EndHash", 10, DbType.Int32)));
        Assert.Equal("keepsake/k-1", await Run(database, "ReadRangeRows2Key", P("ServiceId", "s", DbType.String), P("BeginHash", 10, DbType.Int32), P("EndHash", -5, DbType.Int32)));
        Assert.Equal(true, await Run(database, "DeleteReminderRowKey", [.. reminder, P("Version", 1, DbType.Int32)]));
    }

    private static async Task<TestClusterDatabase> Applied()
    {
        var database = await TestClusterDatabase.Create();
        await ClusterSchema.Apply(database.ConnectionString);
        return database;
    }

    private static NpgsqlParameter[] Key(int? version) =>
    [
        P("GrainIdHash", 42, DbType.Int32), P("GrainIdN0", 0L, DbType.Int64), P("GrainIdN1", 0x12345L, DbType.Int64),
        P("GrainTypeHash", 7, DbType.Int32), P("GrainTypeString", "keepsake", DbType.String),
        P("GrainIdExtensionString", null, DbType.String), P("ServiceId", "s", DbType.String),
        P("GrainStateVersion", version, DbType.Int32),
    ];

    private static NpgsqlParameter[] Silo() =>
    [
        P("DeploymentId", "c", DbType.String), P("Address", "127.0.0.1", DbType.AnsiString), P("Port", 11111, DbType.Int32),
        P("Generation", 7, DbType.Int32), P("SiloName", "silo-1", DbType.String), P("HostName", "host", DbType.String),
        P("Status", 2, DbType.Int32), P("ProxyPort", 30000, DbType.Int32),
        P("StartTime", DateTime.UtcNow, DbType.DateTime), P("IAmAliveTime", DateTime.UtcNow, DbType.DateTime),
    ];

    private static NpgsqlParameter P(string name, object? value, DbType type) =>
        new(name, type) { Value = value ?? DBNull.Value };

    /// <summary>Runs the query stored under <paramref name="key"/>; the first column of its first row, or null.</summary>
    private static async Task<object?> Run(TestClusterDatabase database, string key, params NpgsqlParameter[] parameters)
    {
        var text = (string)(await database.Scalar($"SELECT QueryText FROM OrleansQuery WHERE QueryKey = '{key}'"))!;
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(text, connection);
        command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }
}
