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
        Description = "Model store folder (versions + `current`). Seeded with the shipped model when empty.",
        DefaultValueFactory = _ => Path.Combine("var", "models"),
    };
}
