using System.Net.Sockets;
using Npgsql;

namespace Vitrina.Grains.Storage;

/// <summary>
/// The cluster database cannot be used as it is. The message says what is wrong and what to do; it names host, port,
/// database and user but never the password.
/// </summary>
public sealed class ClusterSchemaException(string message, Exception? inner = null) : Exception(message, inner)
{
    internal const string MigrateHint = "run `vitrina db migrate --connection <connection string>` (or start a silo, which applies it)";

    /// <summary>Turns a failure to open a connection into a message an operator can act on.</summary>
    internal static ClusterSchemaException ConnectionFailed(NpgsqlConnectionStringBuilder target, Exception failure)
    {
        var where = $"{Describe(target)}, user '{target.Username}',";
        var reason = failure switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } =>
                "refused the login: check the user name and password in the connection string",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                "has no such database: create it or fix Database= in the connection string",
            _ when HasInner<SocketException>(failure) || HasInner<TimeoutException>(failure) =>
                "cannot be reached: check that the server runs and that host and port are right",
            _ => "cannot be used",
        };
        return new ClusterSchemaException($"{where} {reason}. ({failure.GetType().Name}: {failure.Message})", failure);
    }

    internal static string Describe(NpgsqlConnectionStringBuilder target) =>
        $"PostgreSQL at {target.Host}:{target.Port}, database '{target.Database}'";

    private static bool HasInner<T>(Exception e) where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T)
            {
                return true;
            }
        }
        return false;
    }
}
