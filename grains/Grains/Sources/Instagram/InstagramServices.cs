using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace Vitrina.Grains.Sources.Instagram;

/// <summary>Registers the Instagram Graph API post source from <c>Vitrina:Instagram</c>.</summary>
public static class InstagramServices
{
    public static IServiceCollection AddInstagramSource(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InstagramOptions>()
            .Bind(configuration.GetSection(InstagramOptions.Section))
            .Validate(o =>
            {
                o.Validate(); // silos check at start (Program.cs); this catches a reloaded configuration
                return true;
            });

        // The pipeline times out each attempt (GraphApiClient retries, paying each attempt to the call budget); the token
        // travels in the query string, so the factory's URL logging is removed.
        services.AddHttpClient(GraphApiClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddResilienceHandler("instagram-graph", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<InstagramOptions>>().Value.AttemptTimeout));

        // Silos register the cluster-wide GraphBudgetGate first; anything else calls unpaced.
        services.TryAddSingleton<IGraphCallGate, UnpacedGraphCallGate>();
        services.AddSingleton<GraphApiClient>();
        services.AddSingleton<IMediaUrlRefresher>(provider => provider.GetRequiredService<GraphApiClient>());
        services.AddSingleton<InstagramPostSource>();
        services.AddSingleton<IPostSource>(provider => provider.GetRequiredService<InstagramPostSource>());
        return services;
    }
}
