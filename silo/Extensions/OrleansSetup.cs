using System.Net;

namespace Vitrina.Silo.Extensions;

/// <summary>The silo's Orleans set-up: a single node on loopback with in-memory state (the default).</summary>
public static class OrleansSetup
{
    public static void ConfigureVitrinaSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var siloPort = configuration.GetValue("Vitrina:Cluster:SiloPort", 11111);
        var gatewayPort = configuration.GetValue("Vitrina:Cluster:GatewayPort", 30000);
        silo.UseLocalhostClustering(siloPort, gatewayPort);
        silo.Configure<Orleans.Configuration.EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback);
        silo.AddMemoryGrainStorage("vitrina");
    }
}
