using Vitrina.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Vitrina.Tests.Deploy;

/// <summary>Reads a deployment file of the repository as plain maps and lists, and walks paths through it.</summary>
public static class Yaml
{
    /// <summary>Parses a file, resolving <c>&lt;&lt;: *anchor</c> merge keys as Docker Compose does.</summary>
    public static Dictionary<object, object> Load(string relative)
    {
        using var reader = new StringReader(File.ReadAllText(RepoPaths.File(relative)));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    public static object? At(this object? node, params object[] path)
    {
        foreach (var step in path)
        {
            node = (node, step) switch
            {
                (Dictionary<object, object> map, string key) => map.GetValueOrDefault(key),
                (List<object> list, int index) => index < list.Count ? list[index] : null,
                _ => null,
            };
        }

        return node;
    }

    public static string? Text(this object? node, params object[] path) => node.At(path)?.ToString();

    public static List<object> Items(this object? node, params object[] path) => node.At(path) as List<object> ?? [];

    /// <summary>The item of a list of maps whose <c>name</c> is <paramref name="name"/> (containers, env vars, ports).</summary>
    public static object? Named(this List<object> items, string name) => items.FirstOrDefault(i => i.Text("name") == name);
}
