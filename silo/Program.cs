using Vitrina.Grains.Accounts;
using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Hosting;
using Vitrina.Grains.Placement;
using Vitrina.Grains.Retraining;
using Vitrina.Grains.Sources.Instagram;
using Vitrina.Silo.Extensions;
using Vitrina.Training;

NativeHeap.KeepFreedMemory();
var (options, demo) = SiloConfiguration.Parse(args);
var builder = WebApplication.CreateBuilder(options);
builder.AddVitrinaConfiguration(demo);

ClusterSettings cluster;
SiloDescription description;
TimeSpan shutdownTimeout;
(IReadOnlyList<System.Net.IPAddress>, IReadOnlyList<System.Net.IPNetwork>) trustedProxies;
try
{
    cluster = builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
    cluster.Validate();
    description = SiloDescription.FromConfiguration(builder.Configuration);
    (builder.Configuration.GetSection(ClassifierOptions.Section).Get<ClassifierOptions>() ?? new ClassifierOptions()).Validate();
    (builder.Configuration.GetSection(CatalogueDatabaseOptions.Section).Get<CatalogueDatabaseOptions>() ?? new CatalogueDatabaseOptions()).Validate();
    (builder.Configuration.GetSection(AccountOptions.Section).Get<AccountOptions>() ?? new AccountOptions()).Validate();
    (builder.Configuration.GetSection(InstagramOptions.Section).Get<InstagramOptions>() ?? new InstagramOptions()).Validate();
    (builder.Configuration.GetSection(RetrainingOptions.Section).Get<RetrainingOptions>() ?? new RetrainingOptions()).Validate();
    shutdownTimeout = builder.Configuration.GetValue($"{SiloDescription.Section}:ShutdownTimeout", TimeSpan.FromSeconds(45));
    trustedProxies = ReverseProxy.TrustedProxies(builder.Configuration);
    await ClusterDatabase.Prepare(builder.Configuration, cluster);
}
catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or Vitrina.Grains.Storage.ClusterSchemaException
                              or System.Data.Common.DbException or OperationCanceledException)
{
    await Console.Error.WriteLineAsync($"vitrina-silo: {StartupError.Describe(e)}");
    return 2;
}

// Registered before Orleans, so these services stop after the silo has drained its grains: classify requests still
// queued while the silo shuts down are answered instead of failed.
builder.Services.AddVitrina(builder.Configuration, description.Roles);
builder.UseOrleans(silo => silo.ConfigureVitrinaSilo(builder.Configuration, cluster, description));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdownTimeout);
builder.Services.AddVitrinaTelemetry(builder.Configuration, description.Roles);
builder.Services.AddVitrinaApiErrors();
builder.Services.AddVitrinaReverseProxy(trustedProxies);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
if (builder.Configuration.GetValue("Vitrina:Demo:Enabled", false))
{
    builder.Services.AddHostedService<DemoOnboarding>();
}

await using var app = builder.Build(); // disposed on the way out, as RunAsync did
app.MapVitrinaEndpoints();
try
{
    await app.StartAsync();
}
catch (Exception e)
{
    // A port in use, a database that refuses the silo: the log has the whole story, the operator a line to act on.
    await Console.Error.WriteLineAsync($"vitrina-silo: start-up failed: {StartupError.Describe(e)}");
    using var leaving = new CancellationTokenSource(TimeSpan.FromSeconds(10));
    try
    {
        await app.StopAsync(leaving.Token); // a silo that had joined the cluster leaves it rather than waiting to be voted dead
    }
    catch (Exception stopping)
    {
        await Console.Error.WriteLineAsync($"vitrina-silo: stopping after the failed start-up: {stopping.Message}");
    }

    return 2;
}

// One line that says which silo this is and how it will work: Orleans' own start-up lines are filtered out (Warning).
var local = app.Services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>();
var decoding = Vitrina.Training.Images.ImagePreparation.DescribeJpegDecoding(out var slowDecoding);
app.Logger.Log(slowDecoding && description.Roles.Contains(SiloRoles.Ingest) ? LogLevel.Warning : LogLevel.Information,
    "Silo {Silo} at {Address} started: roles {Roles}, classifier device {Device}, cluster {ClusterMode}, web {Urls}; JPEG decoding: {Decoding}",
    local.Name, local.SiloAddress, string.Join(',', description.Roles), description.Device, cluster.Mode, string.Join(' ', app.Urls), decoding);
await app.WaitForShutdownAsync();
return 0;
