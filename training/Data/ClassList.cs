namespace Vitrina.Training.Data;

/// <summary>Class lists derived from the data the paper's way: keep classes with at least a threshold of images.</summary>
public static class ClassList
{
    /// <summary>The paper's threshold for colours (80 images gave 7 of 19 colour groups).</summary>
    public const int PaperColourThreshold = 80;

    /// <summary>The paper's threshold for categories (100 images gave 6 of 23).</summary>
    public const int PaperCategoryThreshold = 100;

    public static IReadOnlyList<string> FromLabels(IEnumerable<string?> labels, int threshold, IReadOnlyList<string> preferredOrder)
    {
        var counts = labels.OfType<string>().GroupBy(l => l).Where(g => g.Count() >= threshold).Select(g => g.Key).ToHashSet();
        // Known classes keep the taxonomy's order, so confusion matrices and CSVs read the same across versions.
        return preferredOrder.Where(counts.Contains).Concat(counts.Except(preferredOrder).Order()).ToList();
    }
}
