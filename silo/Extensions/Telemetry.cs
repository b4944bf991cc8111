using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Images;
using Vitrina.Grains.Placement;
using Vitrina.Grains.Sources.Instagram;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// OpenTelemetry: Vitrina's meters (classifier, images, catalogue, Instagram), Orleans', the runtime's, HTTP's and
/// Npgsql's, and traces across grain calls, photo downloads and database commands, exported over OTLP when an endpoint
/// is configured.
/// Each silo is its own resource (<c>service.instance.id</c>): several silos' counters must not add up into one series.
/// </summary>
public static class Telemetry
{
    /// <summary>Share of traces kept (<c>Vitrina:Telemetry:TraceSampleRatio</c>): at 1,000 photos/s, every one is too many.</summary>
    private const double DefaultTraceSampleRatio = 0.01;

    /// <summary>
    /// HttpClient's connection metrics tag each connection with its peer's IP address. Photo CDNs rotate through many
    /// addresses, and a cumulative exporter keeps every series it ever saw: within days each metric would reach the SDK's
    /// 2,000-series cap. They keep their other tags; the request metrics have no such tag.
    /// </summary>
    private static MetricStreamConfiguration? ConnectionTags(Instrument instrument) =>
        instrument.Meter.Name == "System.Net.Http"
            && (instrument.Name.StartsWith("http.client.connection", StringComparison.Ordinal) || instrument.Name == "http.client.open_connections")
            ? new MetricStreamConfiguration { TagKeys = ["http.connection.state", "network.protocol.version", "server.address", "server.port", "url.scheme"] }
            : null;

    /// <param name="configuration">Where the exporter reads its settings too: the environment, appsettings, command-line flags.</param>
    public static void AddVitrinaTelemetry(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<string> roles)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService("vitrina-silo", serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString(),
                    serviceInstanceId: configuration[$"{SiloDescription.Section}:Name"] is { Length: > 0 } name ? name : null, autoGenerateServiceInstanceId: true)
                .AddAttributes([new("vitrina.silo.roles", string.Join(',', roles))]))
            .WithMetrics(m => m
                .AddMeter(ClassifierMetrics.Meter.Name, ImageMetrics.Meter.Name, CatalogueMetrics.Meter.Name, GraphMetrics.Meter.Name, "Microsoft.Orleans")
                .AddMeter("System.Net.Http", "Microsoft.AspNetCore.Hosting", "Npgsql")
                .AddView(ConnectionTags)
                .AddRuntimeInstrumentation());
        if (string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) && string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"])
            && string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]))
        {
            return; // nothing would read them: no exporter, and no trace is started
        }

        var ratio = configuration.GetValue("Vitrina:Telemetry:TraceSampleRatio", DefaultTraceSampleRatio);
        telemetry
            .WithMetrics(m => m.AddOtlpExporter())
            .WithTracing(t => t
                .AddSource("Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime", "System.Net.Http", "Microsoft.AspNetCore", "Npgsql")
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(ratio, 0, 1))))
                .AddOtlpExporter());
    }
}
