using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace Vitrina.Client.Commands;

/// <summary>
/// A short-lived Orleans client connection for the cluster commands: to the single-node silo's gateway on this machine,
/// or, when <c>VITRINA_CLUSTER_CONNECTION</c> holds a PostgreSQL connection string, to any live gateway of that cluster
/// (its ids from <c>VITRINA_CLUSTER_ID</c> and <c>VITRINA_SERVICE_ID</c>, both <c>vitrina</c> unless set).
/// </summary>
public static class Cluster
{
    public const string ConnectionVariable = "VITRINA_CLUSTER_CONNECTION";
    public const string ClusterIdVariable = "VITRINA_CLUSTER_ID";
    public const string ServiceIdVariable = "VITRINA_SERVICE_ID";

    public static async Task<int> Run(int gatewayPort, Func<IClusterClient, Task<int>> action)
    {
        var connection = Environment.GetEnvironmentVariable(ConnectionVariable);
        var clusterId = Environment.GetEnvironmentVariable(ClusterIdVariable) is { Length: > 0 } id ? id : "vitrina";
        var serviceId = Environment.GetEnvironmentVariable(ServiceIdVariable) is { Length: > 0 } service ? service : "vitrina";
        var builder = Host.CreateApplicationBuilder();
        // The CLI reports connection problems itself, in one line.
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            if (string.IsNullOrEmpty(connection))
            {
                client.UseLocalhostClustering(gatewayPort);
            }
            else
            {
                client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connection));
            }

            client.Services.AddVitrinaRemoteExceptions();
            // After the clustering call, which sets its own defaults: the silo's ids must match exactly.
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, serviceId));
        });
        using var host = builder.Build();
        try
        {
            // A gateway that refuses us (another cluster's id) makes the client retry forever: bound the wait.
            using var connecting = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await host.StartAsync(connecting.Token);
        }
        catch (Exception e) when (e is OrleansException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException
            or Orleans.Runtime.Messaging.ConnectionFailedException)
        {
            var where = string.IsNullOrEmpty(connection)
                ? $"no Vitrina silo answers on gateway port {gatewayPort}"
                : $"no gateway of cluster '{clusterId}' answers (from {ConnectionVariable})";
            await Console.Error.WriteLineAsync(
                $"error: {where} ({e.Message}). Start one with `dotnet run -c Release --project silo -- --demo` or `deploy/local/cluster.sh start`.");
            return 2;
        }

        try
        {
            return await action(host.Services.GetRequiredService<IClusterClient>());
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
