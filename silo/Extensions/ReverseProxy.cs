using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using IPNetwork = System.Net.IPNetwork;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// A silo behind a reverse proxy that serves it under a path prefix (<c>https://shop.example/vitrina/</c> to the silo's
/// <c>/</c>): the proxy's <c>X-Forwarded-Prefix</c>, <c>-Proto</c> and <c>-For</c> become the request's path base, scheme
/// and client address, so the shelves' next-page links and photo addresses carry the prefix. Believed only from the
/// proxies in <c>Vitrina:Http:TrustedProxies</c> (addresses or networks, comma-separated): from anyone else the headers
/// would let a caller rewrite the links the silo hands out.
/// </summary>
public static class ReverseProxy
{
    public const string TrustedProxiesKey = "Vitrina:Http:TrustedProxies";

    /// <summary>The trusted proxies, parsed now so that a wrong entry stops the silo with a line naming it.</summary>
    /// <exception cref="FormatException">An entry is neither an IP address nor a network such as 10.0.0.0/8.</exception>
    public static (IReadOnlyList<IPAddress> Proxies, IReadOnlyList<IPNetwork> Networks) TrustedProxies(IConfiguration configuration)
    {
        var proxies = new List<IPAddress>();
        var networks = new List<IPNetwork>();
        foreach (var entry in (configuration[TrustedProxiesKey] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/') && IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                proxies.Add(address);
            }
            else
            {
                throw new FormatException($"{TrustedProxiesKey}: '{entry}' is neither an IP address nor a network such as 10.0.0.0/8");
            }
        }

        return (proxies, networks);
    }

    public static IServiceCollection AddVitrinaReverseProxy(this IServiceCollection services, (IReadOnlyList<IPAddress> Proxies, IReadOnlyList<IPNetwork> Networks) trusted) =>
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedPrefix;
            // Not the default loopback entries: only what the operator listed.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Proxies)
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (var network in trusted.Networks)
            {
                options.KnownIPNetworks.Add(network);
            }
        });

    /// <summary>Reads the forwarded headers first, when any proxy is trusted; otherwise they are ignored.</summary>
    public static void UseVitrinaReverseProxy(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        if (options.KnownProxies.Count + options.KnownIPNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }
    }
}
