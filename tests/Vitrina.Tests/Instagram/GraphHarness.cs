using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vitrina.Accounts;
using Vitrina.FakeGraphApi;
using Vitrina.Grains.Sources;
using Vitrina.Grains.Sources.Instagram;

namespace Vitrina.Tests.Instagram;

/// <summary>
/// The real Instagram source, registered as the silo registers it, talking real HTTP to a fresh fake Graph API.
/// Retries are quick so failure tests stay fast.
/// </summary>
public sealed class GraphHarness : IAsyncDisposable
{
    private GraphHarness(FakeGraphServer server, ServiceProvider services)
    {
        Server = server;
        Services = services;
    }

    public FakeGraphServer Server { get; }

    public ServiceProvider Services { get; }

    public FakeInstagram World => Server.World;

    public FakeGraphCounters Counters => Server.Counters;

    public InstagramPostSource Source => Services.GetRequiredService<InstagramPostSource>();

    public GraphApiClient Client => Services.GetRequiredService<GraphApiClient>();

    public static async Task<GraphHarness> Start(
        FakeInstagram? world = null, FakeGraphOptions? fake = null, IReadOnlyDictionary<string, string?>? settings = null, ILoggerProvider? logs = null,
        IGraphCallGate? gate = null)
    {
        var server = await FakeGraphServer.Start(world, fake);
        var configuration = new Dictionary<string, string?>
        {
            ["Vitrina:Instagram:BaseUrl"] = server.BaseUrl.ToString(),
            ["Vitrina:Instagram:AccessToken"] = server.AccessToken,
            ["Vitrina:Instagram:TransientRetries"] = "2",
            ["Vitrina:Instagram:RetryDelay"] = "00:00:00.010",
            ["Vitrina:Instagram:AttemptTimeout"] = "00:00:30", // a stall on a busy machine must not add a retry to exact call counts
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[$"Vitrina:Instagram:{key}"] = value;
        }

        var services = new ServiceCollection()
            .AddLogging(logging =>
            {
                if (logs is not null)
                {
                    logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
                }
            });
        if (gate is not null)
        {
            services.AddSingleton(gate); // before the source's own, unpaced one
        }

        var provider = services.AddInstagramSource(new ConfigurationBuilder().AddInMemoryCollection(configuration).Build()).BuildServiceProvider();
        return new GraphHarness(server, provider);
    }

    public static AccountSource Account(string location) => new(AccountSource.Instagram, location);

    public async Task<List<SourcePost>> ReadAll(string location)
    {
        var posts = new List<SourcePost>();
        await foreach (var post in Source.ReadPosts(location, Account(location), CancellationToken.None))
        {
            posts.Add(post);
        }

        return posts;
    }

    public async Task<List<SourcePost>> ReadNew(string location, IReadOnlySet<string> seen)
    {
        var posts = new List<SourcePost>();
        await foreach (var post in ((IPostSource)Source).ReadNewPosts(location, Account(location), seen, CancellationToken.None))
        {
            posts.Add(post);
        }

        return posts;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Server.DisposeAsync();
    }
}
