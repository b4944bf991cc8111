using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Vitrina.Client.Commands;

/// <summary>A short-lived Orleans client connection to a running silo, for the cluster commands.</summary>
public static class Cluster
{
    public static async Task<int> Run(int gatewayPort, Func<IClusterClient, Task<int>> action)
    {
        var builder = Host.CreateApplicationBuilder();
        // The CLI reports connection problems itself, in one line.
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort));
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch (Exception e) when (e is OrleansException or System.Net.Sockets.SocketException or TimeoutException or Orleans.Runtime.Messaging.ConnectionFailedException)
        {
            await Console.Error.WriteLineAsync(
                $"error: no Vitrina silo answers on gateway port {gatewayPort} ({e.Message}). Start one with `dotnet run --project silo -- --demo`.");
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
