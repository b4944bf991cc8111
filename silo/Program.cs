using Vitrina.Grains.Hosting;
using Vitrina.Silo.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddVitrinaConfiguration(args);

builder.UseOrleans(silo => silo.ConfigureVitrinaSilo(builder.Configuration));
builder.Services.AddVitrina(builder.Configuration);
builder.Services.AddVitrinaTelemetry();
builder.Services.AddDemoOnboarding(builder.Configuration);

var app = builder.Build();
app.MapVitrinaEndpoints();
await app.RunAsync();
