using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vitrina.Client.Commands;

/// <summary>How the CLI writes JSON: camelCase, indented, enums as names.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };
}
