using Vitrina.Grains.Hosting;
using Vitrina.Silo.Extensions;

var (options, demo) = SiloConfiguration.Parse(args);
var builder = WebApplication.CreateBuilder(options);
builder.AddVitrinaConfiguration(options, demo);

builder.UseOrleans(silo => silo.ConfigureVitrinaSilo(builder.Configuration));
builder.Services.AddVitrina(builder.Configuration);
builder.Services.AddVitrinaTelemetry();
builder.Services.AddDemoOnboarding(builder.Configuration);

var app = builder.Build();
app.MapVitrinaEndpoints();
await app.RunAsync();
