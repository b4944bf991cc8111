namespace Vitrina.Silo.Extensions;

/// <summary>
/// How the silo joins a cluster (section <c>Vitrina:Cluster</c>). <c>local</c> (the default) is one silo on loopback
/// with in-memory state; <c>postgres</c> keeps membership, grain state and reminders in PostgreSQL so several silos on
/// several machines form one cluster and survive losing any of them.
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Vitrina:Cluster";

    public const string Local = "local";
    public const string Postgres = "postgres";

    public string Mode { get; set; } = Local;

    /// <summary>PostgreSQL for membership, grain state and reminders (and the catalogue unless it has its own).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// PostgreSQL connections the Orleans providers (membership, grain state, reminders) may hold per silo, unless the
    /// connection string sets its pool size.
    /// </summary>
    public int MaxConnections { get; set; } = 16;

    /// <summary><see cref="ConnectionString"/> as the Orleans providers use it: capped at <see cref="MaxConnections"/>.</summary>
    public string ProvidersConnectionString => Vitrina.Grains.Storage.ConnectionPools.Capped(ConnectionString!, MaxConnections);

    public string ClusterId { get; set; } = "vitrina";
    public string ServiceId { get; set; } = "vitrina";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this one at; loopback unless an operator sets it.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface (containers), while still advertising <see cref="AdvertisedAddress"/>.</summary>
    public bool ListenOnAnyAddress { get; set; }

    public bool IsPostgres => Mode.Equals(Postgres, StringComparison.OrdinalIgnoreCase);

    public void Validate()
    {
        if (!IsPostgres && !Mode.Equals(Local, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Vitrina:Cluster:Mode is '{Mode}'; use '{Local}' (one silo, in-memory state) or '{Postgres}'");
        }

        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException(
                "Vitrina:Cluster:Mode is 'postgres' but Vitrina:Cluster:ConnectionString is empty; set it (environment: Vitrina__Cluster__ConnectionString), "
                + "e.g. Host=db;Port=5432;Username=vitrina;Password=...;Database=vitrina");
        }

        if (MaxConnections < 2)
        {
            throw new ArgumentException($"Vitrina:Cluster:MaxConnections must be at least 2, not {MaxConnections}.");
        }

        foreach (var (name, port) in new[] { ("SiloPort", SiloPort), ("GatewayPort", GatewayPort) })
        {
            if (port is < 1 or > 65535)
            {
                throw new ArgumentException($"Vitrina:Cluster:{name} is {port}; a port is 1-65535");
            }
        }

        if (!System.Net.IPAddress.TryParse(AdvertisedAddress, out _))
        {
            throw new ArgumentException(
                $"Vitrina:Cluster:AdvertisedAddress '{AdvertisedAddress}' is not an IP address; Orleans advertises addresses, not host names");
        }
    }
}
