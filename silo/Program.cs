using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Hosting;
using Vitrina.Grains.Placement;
using Vitrina.Silo.Extensions;
using Vitrina.Training;

NativeHeap.KeepFreedMemory();
var (options, demo) = SiloConfiguration.Parse(args);
var builder = WebApplication.CreateBuilder(options);
builder.AddVitrinaConfiguration(options, demo);

ClusterSettings cluster;
SiloDescription description;
try
{
    cluster = builder.Configuration.GetSection("Vitrina:Cluster").Get<ClusterSettings>() ?? new ClusterSettings();
    cluster.Validate();
    description = SiloDescription.FromConfiguration(builder.Configuration);
    (builder.Configuration.GetSection("Vitrina:Classifier").Get<ClassifierOptions>() ?? new ClassifierOptions()).Validate();
    (builder.Configuration.GetSection("Vitrina:Catalogue").Get<CatalogueDatabaseOptions>() ?? new CatalogueDatabaseOptions()).Validate();
    await ClusterDatabase.Prepare(builder.Configuration, cluster);
}
catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or Vitrina.Grains.Storage.ClusterSchemaException)
{
    await Console.Error.WriteLineAsync($"vitrina-silo: {e.Message}");
    return 2;
}

// Registered before Orleans, so these services stop after the silo has drained its grains: classify requests still
// queued while the silo shuts down are answered instead of failed.
builder.Services.AddVitrina(builder.Configuration, description.Roles);
builder.UseOrleans(silo => silo.ConfigureVitrinaSilo(builder.Configuration, cluster, description));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = builder.Configuration.GetValue("Vitrina:Silo:ShutdownTimeout", TimeSpan.FromSeconds(45)));
builder.Services.AddVitrinaTelemetry();
builder.Services.AddVitrinaApiErrors();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
builder.Services.AddDemoOnboarding(builder.Configuration);

var app = builder.Build();
app.MapVitrinaEndpoints();
await app.RunAsync();
return 0;
