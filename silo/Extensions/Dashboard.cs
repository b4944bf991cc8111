using Microsoft.Extensions.Options;
using Vitrina.Accounts;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Images;
using Vitrina.Grains.Placement;
using Vitrina.Grains.Sources.Instagram;
using Vitrina.Instagram;
using Vitrina.Silos;

namespace Vitrina.Silo.Extensions;

/// <summary>
/// A live page at <c>/</c>: catalogue counts per colour x category (each cell opens its shelf), the cluster's filing
/// rate (from those counts), how many accounts poll well, this silo's classification rate and queue, and every silo's
/// rates side by side (<see cref="ISiloRosterGrain"/>). The counts and shelves it reads are <see cref="CatalogueApi"/>'s.
/// </summary>
public static class Dashboard
{
    public static void MapDashboard(this WebApplication app)
    {
        var page = Path.Combine(AppContext.BaseDirectory, "Dashboard", "index.html");
        app.MapGet("/", () => Results.File(page, "text/html; charset=utf-8"));
        app.MapGet("/api/accounts/tally", (IGrainFactory grains) => AccountRegistry.Tally(grains));
        app.MapGet("/api/silos", (IGrainFactory grains) => grains.GetGrain<ISiloRosterGrain>(0).List());
        // Onboarding thousands of shops is paced by the app's Graph API budget: how much of it is used, and whether Meta
        // has blocked the app, is what says when the last shop will be read.
        app.MapGet("/api/instagram/budget", (IGrainFactory grains, IOptionsMonitor<InstagramOptions> instagram) =>
            grains.GetGrain<IGraphBudgetGrain>(instagram.CurrentValue.AppName).GetState());
        app.MapGet("/api/stats", (ModelHost host, ImageMetrics images, SiloDescription silo) => new
        {
            roles = silo.Roles,
            device = silo.Device,
            model = host.Loaded ? host.Current.Manifest.Version : null,
            refusedModel = host.RefusedVersion,
            servedOn = host.ServedOn,
            classified = host.Classified,
            largestBatch = host.LargestBatch,
            queued = host.Queue.Queued,
            queueLimit = host.Queue.Limit,
            refused = host.Refused,
            handedBack = images.HandedBackCount,
            gaveUp = images.AbandonedCount,
        });
    }
}
