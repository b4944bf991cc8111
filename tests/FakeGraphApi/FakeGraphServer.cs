using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Vitrina.FakeGraphApi;

/// <summary>
/// A fake Instagram Graph API and image CDN on a random loopback port, behaving as the documentation describes: field
/// selection, cursor paging, token checks, usage headers, rate-limit errors, signed expiring image links, and faults
/// on demand. <c>await using var graph = await FakeGraphServer.Start(world);</c> then point the client at
/// <see cref="BaseUrl"/> with <see cref="FakeGraphOptions.AccessToken"/>.
/// </summary>
public sealed class FakeGraphServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly FailureInjector failures;

    private FakeGraphServer(WebApplication app, FakeInstagram world, FakeGraphOptions options, FailureInjector failures)
    {
        this.app = app;
        World = world;
        Options = options;
        this.failures = failures;
    }

    public Uri BaseUrl { get; private set; } = null!;

    public FakeInstagram World { get; }

    /// <summary>Live settings: budget, window, failure rates and token may change between calls.</summary>
    public FakeGraphOptions Options { get; }

    public FakeGraphCounters Counters { get; } = new();

    public string AccessToken => Options.AccessToken;

    public static async Task<FakeGraphServer> Start(FakeInstagram? world = null, FakeGraphOptions? options = null)
    {
        world ??= new FakeInstagram();
        options ??= new FakeGraphOptions();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeGraphServer(app, world, options, new FailureInjector(options));
        var cdn = new FakeCdn(world, options, server.Counters);
        new GraphApi(world, options, server.Counters, new UsageMeter(options, world.Clock), server.failures, new MediaRenderer(cdn)).Map(app);
        app.MapGet("/cdn/{file}", (string file, string? exp, string? sig, HttpContext http) => cdn.Serve(file, exp, sig, http.Response, http.RequestAborted));
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    /// <summary>Serves <paramref name="failure"/> for the next <paramref name="times"/> API calls, before any random ones.</summary>
    public void FailNext(FakeFailure failure, int times = 1) => failures.Enqueue(failure, times);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
