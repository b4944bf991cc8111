namespace Vitrina.ClusterHarness;

/// <summary>Where the built silo is: next to this harness's build, in the silo project's output of the same configuration.</summary>
public static class SiloBinary
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        // .../tests/<project>/bin/<Configuration>/net10.0/linux-x64/ -> .../silo/bin/<Configuration>/net10.0/linux-x64/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var rid = here.Name;
        var framework = here.Parent!.Name;
        var configuration = here.Parent.Parent!.Name;
        for (var dir = here; dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "silo", "bin", configuration, framework, rid, "vitrina-silo.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"vitrina-silo.dll ({configuration}) not found above {here.FullName}; build Cluster.sln first");
    }
}
