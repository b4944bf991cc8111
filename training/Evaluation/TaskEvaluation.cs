using System.Globalization;
using System.Text;

namespace Vitrina.Training.Evaluation;

/// <summary>Precision and recall of one class, for the per-class table of a report.</summary>
public sealed record ClassMetrics(string Class, int Support, double Precision, double Recall);

/// <summary>How many images a confidence threshold keeps and how accurate the kept ones are, for choosing a cut-off.</summary>
public sealed record CoveragePoint(double Threshold, double Coverage, double Accuracy);

/// <summary>The evaluation of one classification task (colour or category) on a held-out set, ready to serialise or print.</summary>
/// <remarks>
/// Labels outside <see cref="Classes"/> are never right: an image whose actual label is unknown counts in
/// <see cref="Count"/> and as a miss, but gets no confusion row and no class support; a prediction outside the classes
/// is a miss and gets no confusion column, so a row may sum to less than its class's support.
/// Ratios with an empty denominator are 0, never NaN, because System.Text.Json refuses NaN by default.
/// </remarks>
public sealed record TaskEvaluation(
    string Task,
    IReadOnlyList<string> Classes,
    int Count,
    double Accuracy,
    double Top2Accuracy,
    double MeanRecall,
    IReadOnlyList<ClassMetrics> PerClass,
    int[][] Confusion,
    double RandomBaseline,
    double ExpectedRandomBaseline,
    IReadOnlyList<CoveragePoint> Coverage)
{
    /// <summary>The confidence cut-offs of the coverage table.</summary>
    public static readonly IReadOnlyList<double> Thresholds = [0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];

    /// <summary>Computes every metric of one task from the per-image actual labels, predictions, confidences and top-2 lists.</summary>
    public static TaskEvaluation Compute(
        string task,
        IReadOnlyList<string> classes,
        IReadOnlyList<string> actual,
        IReadOnlyList<string> predicted,
        IReadOnlyList<float> confidence,
        IReadOnlyList<IReadOnlyList<string>> top2,
        int seed = 42)
    {
        int n = actual.Count;
        if (predicted.Count != n || confidence.Count != n || top2.Count != n)
            throw new ArgumentException($"{task}: actual, predicted, confidence and top2 must have the same length ({n}).");

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < classes.Count; c++)
            index.TryAdd(classes[c], c);

        var correct = new bool[n];
        var confusion = classes.Select(_ => new int[classes.Count]).ToArray();
        var support = new int[classes.Count];
        var predictedCount = new int[classes.Count];
        int hits = 0, top2Hits = 0;
        for (int i = 0; i < n; i++)
        {
            bool known = index.TryGetValue(actual[i], out int row);
            correct[i] = known && predicted[i] == actual[i];
            hits += correct[i] ? 1 : 0;
            top2Hits += known && top2[i].Contains(actual[i]) ? 1 : 0;
            bool predictedKnown = index.TryGetValue(predicted[i], out int col);
            if (predictedKnown) predictedCount[col]++;
            if (!known) continue;
            support[row]++;
            if (predictedKnown) confusion[row][col]++;
        }

        var perClass = classes
            .Select((name, c) => new ClassMetrics(name, support[c], Ratio(confusion[c][c], predictedCount[c]), Ratio(confusion[c][c], support[c])))
            .ToArray();
        var supported = perClass.Where(m => m.Support > 0).ToArray();

        var coverage = Thresholds.Select(t =>
        {
            var kept = Enumerable.Range(0, n).Where(i => confidence[i] >= t).ToArray();
            return new CoveragePoint(t, Ratio(kept.Length, n), Ratio(kept.Count(i => correct[i]), kept.Length));
        }).ToArray();

        return new TaskEvaluation(
            task, classes.ToArray(), n, Ratio(hits, n), Ratio(top2Hits, n),
            supported.Length == 0 ? 0 : supported.Average(m => m.Recall),
            perClass, confusion, ShuffledBaseline(actual, seed),
            support.Sum(s => Math.Pow(Ratio(s, n), 2)), coverage);
    }

    /// <summary>Renders the evaluation as a plain-text report for logs and the console.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        Line($"{Task}: {Count} images, {Classes.Count} classes");
        Line($"  accuracy        {Accuracy,7:P1}");
        Line($"  top-2 accuracy  {Top2Accuracy,7:P1}");
        Line($"  mean recall     {MeanRecall,7:P1}");
        Line($"  random baseline {RandomBaseline,7:P1} shuffled labels, {ExpectedRandomBaseline,7:P1} expected (sum of squared shares)");
        text.AppendLine();

        int width = Math.Max(10, Classes.Count == 0 ? 0 : Classes.Max(c => c.Length));
        Line($"  {"class".PadRight(width)} {"support",8} {"precision",10} {"recall",8}");
        foreach (var m in PerClass)
            Line($"  {m.Class.PadRight(width)} {m.Support,8} {m.Precision,10:P1} {m.Recall,8:P1}");
        text.AppendLine();

        text.AppendLine("  confusion (rows: actual, columns: predicted)");
        text.Append("  ").Append(new string(' ', 10));
        foreach (var c in Classes)
            text.Append(' ').Append(Abbreviate(c).PadLeft(10));
        text.AppendLine();
        for (int r = 0; r < Confusion.Length; r++)
        {
            text.Append("  ").Append(Abbreviate(Classes[r]).PadRight(10));
            foreach (int count in Confusion[r])
                text.Append(' ').Append(count.ToString(CultureInfo.InvariantCulture).PadLeft(10));
            text.AppendLine();
        }
        text.AppendLine();

        Line($"  {"threshold",9} {"coverage",9} {"accuracy",9}");
        foreach (var p in Coverage)
            Line($"  {p.Threshold,9:0.00} {p.Coverage,9:P1} {p.Accuracy,9:P1}");
        return text.ToString();
    }

    // The Keras book's baseline: how often a shuffled copy of the labels agrees with the labels themselves.
    private static double ShuffledBaseline(IReadOnlyList<string> actual, int seed)
    {
        var shuffled = actual.ToArray();
        var random = new Random(seed);
        for (int i = shuffled.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }
        return Ratio(shuffled.Where((label, i) => label == actual[i]).Count(), shuffled.Length);
    }

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : (double)part / whole;

    private static string Abbreviate(string name) => name.Length <= 10 ? name : name[..10];
}
