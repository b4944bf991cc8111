namespace Vitrina.FakeGraphApi;

/// <summary>
/// One requested field in the Graph API's <c>fields</c> syntax: <c>name.modifier(arg).modifier(arg){sub,fields}</c>,
/// e.g. <c>business_discovery.username(shop){media.limit(25).after(X){id,caption}}</c>.
/// </summary>
public sealed record FieldSelection(string Name, IReadOnlyDictionary<string, string> Modifiers, IReadOnlyList<FieldSelection> Children)
{
    public string? Modifier(string name) => Modifiers.GetValueOrDefault(name);

    /// <summary>Parses a <c>fields</c> value; throws <see cref="FormatException"/> with the position of a syntax error.</summary>
    public static IReadOnlyList<FieldSelection> Parse(string text)
    {
        var position = 0;
        var fields = ParseList(text, ref position);
        if (position != text.Length)
        {
            throw Error(text, position, "end of string");
        }

        return fields;
    }

    private static List<FieldSelection> ParseList(string text, ref int position)
    {
        var fields = new List<FieldSelection> { ParseField(text, ref position) };
        while (position < text.Length && text[position] == ',')
        {
            position++;
            fields.Add(ParseField(text, ref position));
        }

        return fields;
    }

    private static FieldSelection ParseField(string text, ref int position)
    {
        var name = ParseName(text, ref position);
        var modifiers = new Dictionary<string, string>(StringComparer.Ordinal);
        while (position < text.Length && text[position] == '.')
        {
            position++;
            var modifier = ParseName(text, ref position);
            Expect(text, ref position, '(');
            var end = text.IndexOf(')', position);
            if (end < 0)
            {
                throw Error(text, position, "')'");
            }

            modifiers[modifier] = text[position..end];
            position = end + 1;
        }

        IReadOnlyList<FieldSelection> children = [];
        if (position < text.Length && text[position] == '{')
        {
            position++;
            children = ParseList(text, ref position);
            Expect(text, ref position, '}');
        }

        return new FieldSelection(name, modifiers, children);
    }

    private static string ParseName(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '_'))
        {
            position++;
        }

        return position > start ? text[start..position] : throw Error(text, position, "a field name");
    }

    private static void Expect(string text, ref int position, char expected)
    {
        if (position >= text.Length || text[position] != expected)
        {
            throw Error(text, position, $"'{expected}'");
        }

        position++;
    }

    private static FormatException Error(string text, int position, string expected) =>
        new($"Syntax error \"Expected {expected} instead of \"{(position < text.Length ? text[position..Math.Min(text.Length, position + 10)] : "end of string")}\".\" at character {position}: {text}");
}
