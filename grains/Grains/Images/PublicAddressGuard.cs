using System.Net;
using System.Net.Sockets;

namespace Vitrina.Grains.Images;

/// <summary>
/// Connects photo downloads to public addresses only. A media link comes from the Graph API's answer (or a redirect it
/// leads to) and must not make a silo fetch from its own network: the cloud's metadata service, the database, other
/// silos' ports, whose bytes a moderator could then read back as a "photo". Checked on the addresses a connection is
/// actually made to, after DNS, so a public name resolving to a private address is refused too.
/// <see cref="ImageOptions.AllowPrivateAddresses"/> lifts it (a CDN mirror inside the network, tests' fake CDN on loopback).
/// </summary>
public static class PublicAddressGuard
{
    public static SocketsHttpHandler Handler(bool allowPrivate) => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5), // CDN addresses change; a pooled connection would not notice
        // A photo waiting for fetch memory holds its connection with the body unread: unbounded, thousands of accounts'
        // photos in flight held as many sockets and kernel buffers the memory budget does not see. Beyond this, requests
        // wait for a connection inside the handler.
        MaxConnectionsPerServer = 256,
        ConnectCallback = async (context, cancellation) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellation);
            var allowed = allowPrivate ? addresses : addresses.Where(IsPublic).ToArray();
            if (allowed.Length == 0)
            {
                throw new PrivateAddressException(
                    $"{host} resolves only to private, loopback or link-local addresses ({string.Join(", ", addresses.Select(a => a.ToString()))}); " +
                    "photos are downloaded from public addresses only (Vitrina:Images:AllowPrivateAddresses=true allows others)");
            }

            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>Whether an address is reachable on the internet: not loopback, private, link-local, shared or multicast.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224 // "this" network, private, loopback, multicast and reserved
                     || b[0] == 100 && (b[1] & 0xC0) == 64 // 100.64/10, carrier-grade NAT
                     || b[0] == 169 && b[1] == 254 // link-local, where cloud metadata services answer
                     || b[0] == 172 && (b[1] & 0xF0) == 16
                     || b[0] == 192 && b[1] == 168
                     || b[0] == 198 && (b[1] & 0xFE) == 18); // 198.18/15, benchmarking
        }

        return !(IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal
                 || address.IsIPv6Multicast || address.IsIPv6UniqueLocal);
    }
}
