using OpenTelemetry.Metrics;
using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Images;

namespace Vitrina.Silo.Extensions;

/// <summary>OpenTelemetry metrics for the classifier and the runtime; exported over OTLP when an endpoint is configured.</summary>
public static class Telemetry
{
    /// <param name="configuration">Where the exporter reads its settings too: the environment, appsettings, command-line flags.</param>
    public static void AddVitrinaTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var metrics = services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(ModelHost.Meter.Name, ImageMetrics.Meter.Name, CatalogueMetrics.Meter.Name, "Microsoft.Orleans")
            .AddRuntimeInstrumentation());
        if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]) || !string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]))
        {
            metrics.WithMetrics(m => m.AddOtlpExporter());
        }
    }
}
