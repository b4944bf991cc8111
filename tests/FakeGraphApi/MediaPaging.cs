using System.Text;

namespace Vitrina.FakeGraphApi;

/// <summary>
/// Cursor paging over an account's posts, newest first. A cursor names a post, not a position, so deleting other posts
/// between two calls neither repeats nor skips any; as Meta documents, a cursor whose own post was deleted is invalid.
/// </summary>
internal static class MediaPaging
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 100;

    /// <param name="mostPerAnswer">
    /// The most media one answer carries with their fields; a larger limit is refused as the API refuses a call whose
    /// answer would be too big (HTTP 500, code 1, "Please reduce the amount of data you're asking for").
    /// </param>
    public static Page Read(FakeAccount account, string? limitText, string? after, int mostPerAnswer)
    {
        var limit = int.TryParse(limitText, out var l) && l > 0 ? Math.Min(l, MaxLimit) : DefaultLimit;
        if (limit > mostPerAnswer)
        {
            throw new GraphAnswerException(500, GraphErrors.TooMuchData());
        }

        var all = account.AllMedia();
        var start = 0;
        if (after is not null)
        {
            var id = Decode(after);
            var at = all.ToList().FindIndex(m => m.Id == id);
            start = at >= 0 && !all[at].Deleted ? at + 1 : throw new GraphAnswerException(400, GraphErrors.BadParameter($"Invalid cursor: {after}"));
        }

        var rest = all.Skip(start).Where(m => !m.Deleted).ToList();
        var items = rest.Take(limit).ToList();
        var more = rest.Count > items.Count;
        return new Page(items, items.Count > 0 ? Encode(items[0].Id) : null, more ? Encode(items[^1].Id) : null);
    }

    private static string Encode(string id) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"post:{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Decode(string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=')));
            return text.StartsWith("post:", StringComparison.Ordinal) ? text[5..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    internal sealed record Page(IReadOnlyList<FakeMedia> Items, string? Before, string? After);
}
