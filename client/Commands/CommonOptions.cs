using System.CommandLine;
using System.CommandLine.Parsing;

namespace Vitrina.Client.Commands;

/// <summary>Options several commands share.</summary>
public static class CommonOptions
{
    public static Option<int> Gateway()
    {
        var gateway = new Option<int>("--gateway")
        {
            Description = "Orleans gateway port of a silo on this machine (the single-node default is 30000). Ignored when " +
                          "VITRINA_CLUSTER_CONNECTION holds a multi-node cluster's PostgreSQL connection string: any of its live gateways " +
                          "is used, found under VITRINA_CLUSTER_ID and VITRINA_SERVICE_ID (both 'vitrina' unless set).",
            DefaultValueFactory = _ => 30000,
        };
        gateway.Validators.Add(result =>
        {
            if (result.TryGetValue(gateway, out var port) && port is < 1 or > 65535)
            {
                result.AddError($"--gateway must be a port, 1-65535; got {port}.");
            }
        });
        return gateway;
    }

    public static Option<bool> Json() => new("--json") { Description = "Print JSON for machines instead of a table." };

    public static Option<string> Store() => new("--store")
    {
        Description = "Model store folder (versions + `current`). Shipped model versions it lacks are copied in, and `current` follows the newest shipped one until a version is chosen (`models use`, a training run). " +
                      "Default: $VITRINA_MODEL_STORE, which the ./vitrina script sets to the checkout's var/models (what a silo started there serves); otherwise var/models under the current folder.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("VITRINA_MODEL_STORE") is { Length: > 0 } store ? store : Path.Combine("var", "models"),
    };

    /// <summary>Refuses a folder that does not exist before the command starts (not after it prepared every photo).</summary>
    public static void MustExist(this Option<DirectoryInfo?> option) =>
        option.Validators.Add(result =>
        {
            if (result.TryGetValue(option, out var folder) && folder is { Exists: false } missing)
            {
                result.AddError($"{option.Name}: {NotAFolder(missing)}");
            }
        });

    /// <summary>Why a folder argument is no folder: missing, or a file where a folder was asked for.</summary>
    public static string NotAFolder(DirectoryInfo missing) =>
        File.Exists(missing.FullName) ? $"{missing.FullName} is a file; a folder is asked for" : $"folder {missing.FullName} does not exist";

    /// <summary>
    /// The value for a validator, or false when the token does not convert (<c>--limit abc</c>): the parser reports that
    /// as a usage error of its own, while GetValue in a validator throws (System.CommandLine 2.0, dotnet/command-line-api#2645),
    /// which reached the user as an internal error.
    /// </summary>
    public static bool TryGetValue<T>(this SymbolResult result, Option<T> option, out T? value) => TryConvert(() => result.GetValue(option), out value);

    /// <inheritdoc cref="TryGetValue{T}(SymbolResult, Option{T}, out T)"/>
    public static bool TryGetValue<T>(this SymbolResult result, Argument<T> argument, out T? value) => TryConvert(() => result.GetValue(argument), out value);

    private static bool TryConvert<T>(Func<T?> get, out T? value)
    {
        try
        {
            value = get();
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            value = default;
            return false;
        }
    }
}
