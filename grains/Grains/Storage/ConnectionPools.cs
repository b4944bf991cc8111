using Npgsql;

namespace Vitrina.Grains.Storage;

/// <summary>
/// Caps a PostgreSQL pool unless the operator's connection string sets its size: Npgsql's default of 100 per pool, two
/// pools per silo (the Orleans providers' and the catalogue's), would let eight silos open 1,600 connections against a
/// server that allows 100 to 200.
/// </summary>
public static class ConnectionPools
{
    /// <summary><paramref name="connectionString"/> with at most <paramref name="max"/> connections, unless it names its own maximum.</summary>
    public static string Capped(string connectionString, int max) =>
        NamesMaxPoolSize(connectionString)
            ? connectionString
            : new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = max }.ConnectionString;

    /// <summary>
    /// Whether the connection string sets the pool's maximum itself ("Maximum Pool Size", "MaxPoolSize"; a minimum
    /// alone does not), read as written: Npgsql's parsed builder cannot tell a given 100 from its default.
    /// </summary>
    public static bool NamesMaxPoolSize(string connectionString) =>
        new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "")).Any(key => key.Equals("MaxPoolSize", StringComparison.OrdinalIgnoreCase)
                || key.Equals("MaximumPoolSize", StringComparison.OrdinalIgnoreCase));
}
