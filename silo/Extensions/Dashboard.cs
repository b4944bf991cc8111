using Vitrina.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Placement;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// A live page at <c>/</c>: catalogue counts per colour x category, the cluster's filing rate (from those counts), and
/// this silo's classification rate and queue.
/// </summary>
public static class Dashboard
{
    public static void MapDashboard(this WebApplication app)
    {
        var page = Path.Combine(AppContext.BaseDirectory, "Dashboard", "index.html");
        app.MapGet("/", () => Results.File(page, "text/html; charset=utf-8"));
        app.MapGet("/api/catalogue/summary", (IGrainFactory grains) => grains.GetGrain<ICatalogueGrain>(0).Summary());
        app.MapGet("/api/stats", (ModelHost host, SiloDescription silo) => new
        {
            roles = silo.Roles,
            device = silo.Device,
            model = host.Loaded ? host.Current.Manifest.Version : null,
            refusedModel = host.RefusedVersion,
            classified = host.Classified,
            largestBatch = host.LargestBatch,
            queued = host.Queue.Queued,
            queueLimit = host.Queue.Limit,
            refused = host.Refused,
        });
    }
}
