using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Storage;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// Before a PostgreSQL-mode silo starts: checks the database answers, brings an empty or older Orleans schema to the
/// current version (idempotent, under a lock, so silos starting together are safe), refuses a foreign or newer one,
/// and points the catalogue at the same database unless it has its own.
/// </summary>
public static class ClusterDatabase
{
    public static async Task Prepare(ConfigurationManager configuration, ClusterSettings cluster)
    {
        if (!cluster.IsPostgres)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(configuration[$"{CatalogueDatabaseOptions.Section}:ConnectionString"]))
        {
            configuration[$"{CatalogueDatabaseOptions.Section}:ConnectionString"] = cluster.ConnectionString;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ClusterSchema.Apply(cluster.ConnectionString!, timeout.Token);
    }
}
