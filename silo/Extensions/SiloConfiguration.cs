namespace Vitrina.Silo.Extensions;

/// <summary>Where the silo's settings come from: embedded defaults, then VITRINA_* environment variables, then flags.</summary>
public static class SiloConfiguration
{
    public static void AddVitrinaConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddEnvironmentVariables("VITRINA_");
        // --demo is shorthand for onboarding the bundled demo shops.
        if (args.Contains("--demo"))
        {
            builder.Configuration["Vitrina:Demo:Enabled"] = "true";
        }

        // Loopback only unless an operator says otherwise.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }
    }
}
