using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Orleans.Serialization;

namespace Vitrina.Grains.Hosting;

/// <summary>
/// How grain state is written as JSON in PostgreSQL (Orleans' <c>JsonGrainStorageSerializer</c>, Newtonsoft.Json).
/// Orleans' defaults wrote every object and collection with its .NET type name ("$type": "Vitrina.Grains.Accounts.
/// AccountGrainState, Vitrina.Grains") and enums as numbers: moving a state class to another namespace or assembly
/// made every stored account unreadable, and reordering an enum silently changed stored states. State is written as
/// plain JSON of its declared types, enums by name. Rows written the old way still read (Storage/StoredState fixtures):
/// the type names are skipped, enum numbers still parse; builds from before this change read the new rows too.
/// </summary>
public static class GrainStateJson
{
    public static IServiceCollection AddVitrinaGrainStateJson(this IServiceCollection services) =>
        // After Orleans' own defaults, which set the type names.
        services.PostConfigure<OrleansJsonSerializerOptions>(o => Apply(o.JsonSerializerSettings));

    public static void Apply(JsonSerializerSettings settings)
    {
        settings.TypeNameHandling = TypeNameHandling.None;
        settings.PreserveReferencesHandling = PreserveReferencesHandling.None;
        settings.Converters.Add(new StringEnumConverter());
    }
}
