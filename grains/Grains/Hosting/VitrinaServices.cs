using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Vitrina.Grains.Accounts;
using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Images;
using Vitrina.Grains.Placement;
using Vitrina.Grains.Retraining;
using Vitrina.Grains.Silos;
using Vitrina.Grains.Sources;
using Vitrina.Grains.Sources.Instagram;

namespace Vitrina.Grains.Hosting;

/// <summary>
/// Registers what Vitrina's grains need in a silo, from the <c>Vitrina</c> configuration section. Background work runs
/// only for the silo's roles: the model loads on classify silos, the catalogue migration on catalogue silos.
/// </summary>
public static class VitrinaServices
{
    public static IServiceCollection AddVitrina(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<string> roles)
    {
        services.AddVitrinaRemoteExceptions();
        services.AddVitrinaGrainStateJson();
        // A call that timed out cancels its callee's token: a classification or filing whose image grain gave up is dropped
        // from its queue. (Not for calls to stateless workers, whose cancellation may reach another activation of the
        // worker: image work carries a deadline instead.)
        services.Configure<SiloMessagingOptions>(o => o.CancelRequestOnTimeout = true);
        services.Configure<AccountOptions>(configuration.GetSection(AccountOptions.Section));
        services.Configure<ClassifierOptions>(configuration.GetSection(ClassifierOptions.Section));
        services.Configure<CatalogueDatabaseOptions>(configuration.GetSection(CatalogueDatabaseOptions.Section));
        services.Configure<ImageOptions>(configuration.GetSection(ImageOptions.Section));

        services.AddDbContextFactory<CatalogueDbContext>((provider, builder) =>
            CatalogueDatabase.Configure(builder, provider.GetRequiredService<IOptions<CatalogueDatabaseOptions>>().Value));
        if (roles.Contains(SiloRoles.Catalogue))
        {
            services.AddHostedService<CatalogueMigration>();
        }

        services.AddSingleton<CatalogueWriteGate>();
        services.AddSingleton<IPostSource, FolderPostSource>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IGraphCallGate, GraphBudgetGate>();
        services.AddInstagramSource(configuration);
        services.AddSingleton<PostSources>();
        // Without the factory's loggers: four Information lines per photo would bury the logs at 1,000 photos/s (the
        // System.Net.Http meter and traces say the same).
        services.AddHttpClient("images", client => client.Timeout = TimeSpan.FromSeconds(30))
            .RemoveAllLoggers()
            .ConfigurePrimaryHttpMessageHandler(provider => PublicAddressGuard.Handler(provider.GetRequiredService<IOptions<ImageOptions>>().Value.AllowPrivateAddresses));
        services.AddSingleton<FetchMemory>();
        services.AddSingleton<DecodeMemory>();
        services.AddSingleton<ImageFetcher>();
        services.AddSingleton<ModelInputCache>();
        services.AddSingleton<ImageMetrics>();
        services.AddSingleton<ImageErrorLog>();

        services.AddSingleton<ModelHost>();
        services.AddHostedService<SiloReporter>();
        services.Configure<RetrainingOptions>(configuration.GetSection(RetrainingOptions.Section));
        services.AddSingleton<UnpublishedRetraining>();
        if (roles.Contains(SiloRoles.Classify))
        {
            services.AddHostedService(provider => provider.GetRequiredService<ModelHost>());
            services.AddHostedService<TrainingSchedule>();
        }

        return services;
    }
}
