using System.Reflection;

namespace Vitrina.Grains.Storage;

/// <summary>The SQL scripts embedded from Storage/Schema, in the order their names give (001-, 002-, ...).</summary>
internal static class SchemaScripts
{
    private const string Folder = ".Storage.Schema.";

    public static IReadOnlyList<(string Name, string Sql)> All { get; } = Load();

    private static List<(string Name, string Sql)> Load()
    {
        var assembly = typeof(SchemaScripts).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.Contains(Folder, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (Name: name[(name.IndexOf(Folder, StringComparison.Ordinal) + Folder.Length)..], Sql: Read(assembly, name)))
            .OrderBy(script => script.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
