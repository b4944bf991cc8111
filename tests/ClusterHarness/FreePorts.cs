using System.Net;
using System.Net.Sockets;

namespace Vitrina.ClusterHarness;

/// <summary>
/// Loopback ports nobody listens on right now, so parallel runs and leftover processes do not collide. The OS may hand
/// the same just-released port out twice in a row, so a port is never given out twice by this process.
/// </summary>
public static class FreePorts
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
