namespace Vitrina.Silo.Extensions;

/// <summary>
/// Where the silo's settings come from: embedded defaults, then environment variables (<c>Vitrina__Cluster__Mode</c>),
/// then flags (<c>--Vitrina:Cluster:Mode=postgres</c>), as ASP.NET Core reads them.
/// </summary>
public static class SiloConfiguration
{
    /// <summary>
    /// Splits off <c>--demo</c> (a switch, which the configuration parser would pair with the next argument) and roots
    /// the embedded appsettings.json at the executable, whatever the working folder.
    /// </summary>
    public static (WebApplicationOptions Options, bool Demo) Parse(string[] args) =>
        (new WebApplicationOptions { Args = args.Where(a => a != "--demo").ToArray(), ContentRootPath = AppContext.BaseDirectory },
            args.Contains("--demo"));

    public static void AddVitrinaConfiguration(this WebApplicationBuilder builder, bool demo)
    {
        if (demo)
        {
            builder.Configuration["Vitrina:Demo:Enabled"] = "true";
        }

        // Loopback only unless an operator says otherwise.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }
    }
}
