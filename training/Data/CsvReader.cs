using System.Text;

namespace Vitrina.Training.Data;

/// <summary>
/// RFC 4180 CSV: a field that starts with a quote may hold commas, quotes ("") and line breaks. A quote inside an
/// unquoted field is a character of it (<c>12" strap</c>). Malformed quoting fails naming the line: read leniently,
/// an unclosed quote would take every later row into one field and drop those rows without a word.
/// </summary>
public static class CsvReader
{
    public static IEnumerable<IReadOnlyList<string>> ReadRows(TextReader reader, string source)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var (line, quotedFrom) = (1, 0);
        var (quoted, closed) = (false, false);
        int c;
        while ((c = reader.Read()) >= 0)
        {
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"' && reader.Peek() == '"')
                {
                    field.Append('"');
                    reader.Read();
                }
                else if (ch == '"')
                {
                    (quoted, closed) = (false, true);
                }
                else
                {
                    line += ch == '\n' ? 1 : 0;
                    field.Append(ch);
                }
            }
            else if (ch == ',')
            {
                row.Add(field.ToString());
                (field, closed) = (field.Clear(), false);
            }
            else if (ch is '\n' or '\r')
            {
                if (ch == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                row.Add(field.ToString());
                (field, closed) = (field.Clear(), false);
                line++;
                yield return row;
                row = [];
            }
            else if (closed)
            {
                throw new DatasetException(
                    $"{source} line {line}: '{ch}' follows a closing quote; a quoted field ends at a comma or the line's end (write a quote inside one as \"\").");
            }
            else if (ch == '"' && field.Length == 0)
            {
                (quoted, quotedFrom) = (true, line);
            }
            else
            {
                field.Append(ch);
            }
        }

        if (quoted)
        {
            throw new DatasetException($"{source} line {quotedFrom}: a quoted field opened here never closes.");
        }

        if (field.Length > 0 || row.Count > 0 || closed)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }
}
