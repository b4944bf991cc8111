using System.Globalization;
using System.Text;
using Vitrina.Training.Evaluation;

namespace Vitrina.Training.Reports;

/// <summary>Everything a model card says about one trained model version.</summary>
public sealed record ModelCardInput(
    string Version,
    string Architecture,
    string Description,
    string DataSource,
    int TrainImages,
    int ValImages,
    IReadOnlyList<string> ColourClasses,
    IReadOnlyList<string> CategoryClasses,
    IReadOnlyDictionary<string, string> Settings,
    IReadOnlyList<TaskEvaluation> Evaluations,
    IReadOnlyList<string> Plots,
    TimeSpan TrainingTime);

/// <summary>Renders the markdown model card that ships next to a model's weights.</summary>
public static class ModelCard
{
    /// <summary>Renders the card; plots are linked by their relative file names, under the task whose name they start with.</summary>
    public static string Render(ModelCardInput input)
    {
        var md = new StringBuilder();
        void Line(FormattableString line) => md.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        Line($"# Vitrina model {input.Version}");
        md.AppendLine();
        md.AppendLine(input.Description).AppendLine();
        Line($"- Architecture: {input.Architecture}");
        Line($"- Training time: {(int)input.TrainingTime.TotalHours}:{input.TrainingTime.Minutes:00}:{input.TrainingTime.Seconds:00}");
        md.AppendLine();

        md.AppendLine("## Data").AppendLine();
        Line($"- Source: {input.DataSource}");
        Line($"- Training images: {input.TrainImages}");
        Line($"- Validation images: {input.ValImages}");
        md.AppendLine();

        md.AppendLine("## Classes").AppendLine();
        Line($"- Colour ({input.ColourClasses.Count}): {string.Join(", ", input.ColourClasses)}");
        Line($"- Category ({input.CategoryClasses.Count}): {string.Join(", ", input.CategoryClasses)}");
        md.AppendLine();

        md.AppendLine("## Settings").AppendLine();
        md.AppendLine("| Setting | Value |").AppendLine("|---|---|");
        foreach (var (key, value) in input.Settings)
            md.AppendLine($"| {Cell(key)} | {Cell(value)} |");
        md.AppendLine();

        var placed = new HashSet<string>();
        foreach (var evaluation in input.Evaluations)
        {
            Line($"## {evaluation.Task}");
            md.AppendLine();
            Line($"- Images: {evaluation.Count}");
            Line($"- Accuracy: {evaluation.Accuracy:P1}");
            Line($"- Top-2 accuracy: {evaluation.Top2Accuracy:P1}");
            Line($"- Mean recall: {evaluation.MeanRecall:P1}");
            Line($"- Random baseline: {evaluation.RandomBaseline:P1} (shuffled labels), {evaluation.ExpectedRandomBaseline:P1} (expected)");
            md.AppendLine();

            md.AppendLine("| Class | Support | Precision | Recall |").AppendLine("|---|---:|---:|---:|");
            foreach (var m in evaluation.PerClass)
                Line($"| {Cell(m.Class)} | {m.Support} | {m.Precision:P1} | {m.Recall:P1} |");
            md.AppendLine();

            md.AppendLine("| Confidence ≥ | Coverage | Accuracy |").AppendLine("|---:|---:|---:|");
            foreach (var p in evaluation.Coverage)
                Line($"| {p.Threshold:0.00} | {p.Coverage:P1} | {p.Accuracy:P1} |");
            md.AppendLine();

            string stem = ReportPlots.SafeName(evaluation.Task) + "-";
            foreach (var plot in input.Plots.Where(p => Path.GetFileName(p).StartsWith(stem, StringComparison.Ordinal)))
            {
                md.AppendLine(Image(plot)).AppendLine();
                placed.Add(plot);
            }
        }

        // Plots that belong to no task (or to a task without an evaluation) still deserve a place on the card.
        var rest = input.Plots.Where(p => !placed.Contains(p)).ToArray();
        if (rest.Length > 0)
        {
            md.AppendLine("## Other plots").AppendLine();
            foreach (var plot in rest)
                md.AppendLine(Image(plot)).AppendLine();
        }
        return md.ToString();
    }

    private static string Image(string file) => $"![{Path.GetFileNameWithoutExtension(file)}]({file.Replace(" ", "%20")})";

    // A bare '|' would end the table cell early.
    private static string Cell(string text) => text.Replace("|", "\\|").ReplaceLineEndings(" ");
}
