using Vitrina.Grains.Classification;

namespace Vitrina.Silo.Extensions;

/// <summary>The silo's HTTP endpoints: liveness and readiness for probes, and the dashboard.</summary>
public static class Endpoints
{
    public static void MapVitrinaEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/readyz", (ModelHost host) => Results.Ok(new { status = "ready", model = host.Current.Manifest.Version }));
        app.MapDashboard();
    }
}
