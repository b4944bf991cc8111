using System.Net;
using Orleans.Configuration;
using Vitrina.Grains.Accounts;
using Vitrina.Grains.Hosting;
using Vitrina.Grains.Placement;
using Vitrina.Grains.Retraining;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// The silo's Orleans set-up: a single node on loopback with in-memory state (the default), or a member of a
/// PostgreSQL-backed cluster; either way it advertises its roles and hardware for placement.
/// </summary>
public static class OrleansSetup
{
    private const string Invariant = "Npgsql";

    public static void ConfigureVitrinaSilo(this ISiloBuilder silo, IConfiguration configuration, ClusterSettings cluster, SiloDescription description)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        if (configuration[$"{SiloDescription.Section}:Name"] is { Length: > 0 } name)
        {
            silo.Configure<SiloOptions>(o => o.SiloName = name);
        }

        silo.Configure<ClusterMembershipOptions>(configuration.GetSection($"{ClusterSettings.Section}:Membership"));
        silo.Configure<ReminderOptions>(o =>
        {
            // Orleans' one-minute floor would stop tests and short intervals: a shorter period configured for polls or
            // retraining could not be registered, and the grain whose reminder it is could not activate.
            var poll = configuration.GetSection(AccountOptions.Section).Get<AccountOptions>()?.PollInterval ?? TimeSpan.FromMinutes(5);
            var retraining = configuration.GetSection(RetrainingOptions.Section).Get<RetrainingOptions>()?.Interval ?? TimeSpan.FromHours(6);
            o.MinimumReminderPeriod = new[] { poll, retraining, o.MinimumReminderPeriod }.Min();
        });
        silo.AddVitrinaPlacement(description);
        // A trace follows a photo from its account's poll through the grain calls (Telemetry keeps a share of them).
        silo.AddActivityPropagation();

        if (!cluster.IsPostgres)
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort);
            silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
            silo.UseVitrinaInMemoryState();
            return;
        }

        silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, cluster.ListenOnAnyAddress);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = cluster.ProvidersConnectionString;
        });
        silo.AddAdoNetGrainStorage(GrainStateStorage.Name, o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = cluster.ProvidersConnectionString;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = cluster.ProvidersConnectionString;
        });
    }
}
