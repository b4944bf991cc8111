using System.CommandLine;
using Npgsql;
using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Storage;

namespace Vitrina.Client.Commands;

/// <summary>
/// <c>vitrina db migrate|status</c>: the PostgreSQL schema a multi-node cluster keeps its membership, grain state and
/// reminders in; <c>migrate</c> also upgrades the catalogue, so that an upgrade's migrations run before its silos start.
/// </summary>
public static class DbCommands
{
    public static Command Create()
    {
        var db = new Command("db", "The cluster's PostgreSQL schema (Orleans membership, grain state, reminders) and the catalogue's tables.");
        db.Subcommands.Add(Migrate());
        db.Subcommands.Add(Status());
        return db;
    }

    private static Option<string> Connection() => new("--connection")
    {
        Description = $"PostgreSQL connection string, e.g. 'Host=db;Port=5432;Username=vitrina;Password=...;Database=vitrina'. Default: ${Cluster.ConnectionVariable}.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(Cluster.ConnectionVariable) ?? "",
    };

    private const string CatalogueConnectionVariable = "Vitrina__Catalogue__ConnectionString";
    private const string CatalogueSchemaVariable = "Vitrina__Catalogue__Schema";

    private static Command Migrate()
    {
        var connection = Connection();
        // Defaults as the silos read them, so that a one-off pod with the silos' environment migrates their catalogue.
        var catalogue = new Option<string?>("--catalogue-connection")
        {
            Description = "The catalogue's PostgreSQL connection string (the silos' Vitrina:Catalogue:ConnectionString). " +
                          $"Default: ${CatalogueConnectionVariable}, else the cluster's, as in the silos.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(CatalogueConnectionVariable) is { Length: > 0 } set ? set : null,
        };
        var schema = new Option<string>("--catalogue-schema")
        {
            Description = $"The catalogue's schema (the silos' Vitrina:Catalogue:Schema). Default: ${CatalogueSchemaVariable}, else catalogue.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(CatalogueSchemaVariable) is { Length: > 0 } set ? set : new CatalogueDatabaseOptions().Schema,
        };
        var command = new Command("migrate", "Bring the database to this build's schema: the cluster's tables, then the catalogue's. Creates them when " +
            "empty, upgrades older ones, safe to re-run. Silos do the same at start; run it before an upgrade's silos start, so that they find the work " +
            "done: a catalogue of millions of rows takes minutes to upgrade, longer than a starting pod is given.") { connection, catalogue, schema };
        command.SetAction((parse, cancellation) => Run(parse.GetValue(connection)!, async cs =>
        {
            var report = await ClusterSchema.Apply(cs, cancellation);
            Console.WriteLine(report.Before.Status is SchemaStatus.Current
                ? $"schema already at version {report.Version} ({report.QueryCount} Orleans queries); re-applied, nothing changed"
                : $"schema {report.Before.Status.ToString().ToLowerInvariant()} -> version {report.Version}: ran {string.Join(", ", report.Scripts)} " +
                  $"({report.QueryCount} Orleans queries, {report.Elapsed.TotalMilliseconds:F0} ms)");
            var options = new CatalogueDatabaseOptions { ConnectionString = parse.GetValue(catalogue) ?? cs, Schema = parse.GetValue(schema)! };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var applied = await CatalogueDatabase.Migrate(options, cancellation);
                Console.WriteLine(applied.Count == 0
                    ? $"catalogue (schema {options.Schema}) already current"
                    : $"catalogue (schema {options.Schema}): applied {string.Join(", ", applied)} ({clock.Elapsed.TotalSeconds:F1} s)");
            }
            catch (NpgsqlException e)
            {
                var why = e is PostgresException refused
                    ? $"{refused.MessageText} (SQLSTATE {refused.SqlState}); the migration that failed was rolled back, those before it stay applied"
                    : $"{e.Message} (the server unreachable, or the connection lost)";
                await Console.Error.WriteLineAsync($"error: upgrading the catalogue (schema {options.Schema}) failed after {clock.Elapsed.TotalSeconds:F1} s: {why}; re-run when fixed");
                return 2;
            }

            return 0;
        }));
        return command;
    }

    private static Command Status()
    {
        var connection = Connection();
        var command = new Command("status", "Say what schema the database holds (empty, current, older, newer, foreign), changing nothing.") { connection };
        command.SetAction((parse, cancellation) => Run(parse.GetValue(connection)!, async cs =>
        {
            var state = await ClusterSchema.Inspect(cs, cancellation);
            Console.WriteLine($"{state.Status.ToString().ToLowerInvariant()}{(state.Version is { } v ? $" (version {v})" : "")}: {state.Detail}");
            return state.Status is SchemaStatus.Current ? 0 : 1;
        }));
        return command;
    }

    private static async Task<int> Run(string connection, Func<string, Task<int>> action)
    {
        if (string.IsNullOrWhiteSpace(connection))
        {
            await Console.Error.WriteLineAsync($"error: no connection string: pass --connection or set {Cluster.ConnectionVariable}");
            return 2;
        }

        try
        {
            return await action(connection);
        }
        catch (ClusterSchemaException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"error: the connection string is malformed ({e.Message})");
            return 2;
        }
    }
}
