using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Vitrina;

/// <summary>
/// Which exceptions reach a remote caller whole. Orleans carries an exception only if its namespace is on an allow-list
/// (System, Microsoft, Azure) or its type has a generated serializer; anything else a grain throws reaches the caller as
/// a CodecNotFoundException naming the type and nothing else. In a cluster every grain that saves state can throw
/// Npgsql's exceptions (a failed write, a lost connection), and their message is what an operator needs; Vitrina's own
/// (a photo that cannot be fetched or decoded) are what callers on other silos catch by type, the training grain
/// leaving such a photo out of retraining. They arrive with their type, message and inner exception; properties of
/// their own stay behind. Silos and clients must agree, so both call this.
/// </summary>
public static class RemoteExceptions
{
    public static IServiceCollection AddVitrinaRemoteExceptions(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(o =>
        {
            o.SupportedNamespacePrefixes.Add("Npgsql");
            o.SupportedNamespacePrefixes.Add("Vitrina");
        });
}
