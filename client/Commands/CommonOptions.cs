using System.CommandLine;

namespace Vitrina.Client.Commands;

/// <summary>Options several commands share.</summary>
public static class CommonOptions
{
    public static Option<int> Gateway() => new("--gateway")
    {
        Description = "Orleans gateway port of a silo on this machine (the single-node default is 30000).",
        DefaultValueFactory = _ => 30000,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON for machines instead of a table." };

    public static Option<string> Store() => new("--store")
    {
        Description = "Model store folder (versions + `current`). Shipped model versions it lacks are copied in, and `current` follows the shipped one unless a locally trained version is current.",
        DefaultValueFactory = _ => Path.Combine("var", "models"),
    };

    /// <summary>Refuses a folder that does not exist before the command starts (not after it prepared every photo).</summary>
    public static void MustExist(this Option<DirectoryInfo?> option) =>
        option.Validators.Add(result =>
        {
            if (result.GetValue(option) is { Exists: false } missing)
            {
                result.AddError($"{option.Name}: folder {missing.FullName} does not exist");
            }
        });
}
