using Vitrina.Grains.Classification;
using Vitrina.Grains.Placement;

namespace Vitrina.Silo.Extensions;

/// <summary>The silo's HTTP endpoints: liveness and readiness for probes, the dashboard, the moderator API, and their error answers.</summary>
public static class Endpoints
{
    public static void MapVitrinaEndpoints(this WebApplication app)
    {
        app.UseVitrinaReverseProxy();
        app.UseVitrinaApiErrors();
        // No page of ours is meant to be framed: a site framing /moderate could trick a moderator into clicking.
        app.Use((http, next) =>
        {
            http.Response.Headers.XFrameOptions = "DENY";
            http.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            return next(http);
        });
        app.MapGet("/healthz", () => Results.Ok(new { status = "alive" }));
        app.MapGet("/readyz", Ready);
        app.MapCatalogueApi();
        app.MapDashboard();
        app.MapModerationApi();
    }

    /// <summary>
    /// Ready once the silo has joined the cluster and, on classify silos, loaded its model; not ready while stopping,
    /// so a load balancer or Kubernetes stops sending work to a draining silo. A classify silo with no model it can
    /// serve answers <c>no-model</c> with the reason.
    /// </summary>
    private static IResult Ready(IHostApplicationLifetime lifetime, SiloDescription silo, ModelHost models)
    {
        var started = lifetime.ApplicationStarted.IsCancellationRequested;
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        var modelReady = !silo.Roles.Contains(SiloRoles.Classify) || models.Loaded;
        // A classify silo that has started with no model it can serve says so, rather than "starting" for good.
        var noModel = started && !modelReady ? models.NothingToServe : null;
        var body = new
        {
            status = started && !stopping && modelReady ? "ready" : stopping ? "stopping" : noModel is not null ? "no-model" : "starting",
            roles = silo.Roles,
            device = silo.Device,
            model = modelReady && models.Loaded ? models.Current.Manifest.Version : null,
            refusedModel = models.RefusedVersion,
            noModel,
        };
        return started && !stopping && modelReady ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
