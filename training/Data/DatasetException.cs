namespace Vitrina.Training.Data;

/// <summary>A dataset that cannot be used as given; the message names the rows at fault.</summary>
public sealed class DatasetException(string message) : Exception(message)
{
    private const int Shown = 20;

    /// <summary>A heading and the first of the problems under it, one per line, with how many more there are.</summary>
    public static DatasetException Listing(string heading, IReadOnlyCollection<string> problems)
    {
        var shown = string.Join(Environment.NewLine, problems.Take(Shown).Select(p => "  " + p));
        var more = problems.Count > Shown ? $"{Environment.NewLine}  ... and {problems.Count - Shown} more" : "";
        return new DatasetException($"{heading}:{Environment.NewLine}{shown}{more}");
    }
}
