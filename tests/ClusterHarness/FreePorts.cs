using System.Net;
using System.Net.Sockets;

namespace Vitrina.ClusterHarness;

/// <summary>Loopback ports nobody listens on right now, so parallel runs and leftover processes do not collide.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
