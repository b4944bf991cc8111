namespace Vitrina.ClusterHarness;

/// <summary>
/// A program of this repository as its own project built it (silo, CLI), in the same configuration as the running
/// tests. Run from its own output folder: a copy inside a test folder can miss assemblies that the test project gets
/// from a shared framework instead (ASP.NET Core's, for the Orleans client).
/// </summary>
public static class BuiltProgram
{
    public static string Silo { get; } = Find("silo", "vitrina-silo.dll");

    public static string Cli { get; } = Find("client", "vitrina.dll");

    private static string Find(string project, string dll)
    {
        // .../tests/<project>/bin/<Configuration>/net10.0/linux-x64/ -> .../<project>/bin/<Configuration>/net10.0/linux-x64/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var rid = here.Name;
        var framework = here.Parent!.Name;
        var configuration = here.Parent.Parent!.Name;
        for (var dir = here; dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, project, "bin", configuration, framework, rid, dll);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{dll} ({configuration}) not found above {here.FullName}; build Cluster.sln first");
    }
}
