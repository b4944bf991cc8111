using System.Globalization;
using ScottPlot;
using Vitrina.Training.Evaluation;

namespace Vitrina.Training.Reports;

/// <summary>Draws the report figures: learning curves like the paper's Figure 1 and confusion-matrix heatmaps.</summary>
public static class ReportPlots
{
    /// <summary>Writes <c>{task}-accuracy.png</c> and <c>{task}-loss.png</c>, training against validation per epoch.</summary>
    public static void SaveCurves(TrainingHistory history, string folder)
    {
        Directory.CreateDirectory(folder);
        double[] epochs = history.Epochs.Select(e => (double)e.Epoch).ToArray();
        string stem = Path.Combine(folder, SafeName(history.Task));
        SaveCurve(history.Task, "accuracy", epochs, history.Epochs.Select(e => e.TrainAccuracy),
            history.Epochs.Select(e => e.ValAccuracy), stem + "-accuracy.png", Alignment.LowerRight);
        SaveCurve(history.Task, "loss", epochs, history.Epochs.Select(e => e.TrainLoss),
            history.Epochs.Select(e => e.ValLoss), stem + "-loss.png", Alignment.UpperRight);
    }

    /// <summary>Writes a heatmap of the row-normalised confusion matrix, first class at the top, with the raw counts in the cells.</summary>
    public static void SaveConfusionMatrix(TaskEvaluation evaluation, string path)
    {
        int n = evaluation.Classes.Count;
        if (n == 0)
            throw new ArgumentException($"{evaluation.Task}: no classes to plot.", nameof(evaluation));
        var shares = new double[n, n];
        for (int r = 0; r < n; r++)
        {
            int total = evaluation.Confusion[r].Sum();
            for (int c = 0; c < n; c++)
                shares[r, c] = total == 0 ? 0 : (double)evaluation.Confusion[r][c] / total;
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(shares);
        // Blues runs dark to light; reversed, the well-predicted diagonal is the dark part.
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        // Row 0 of the array is drawn at the top, so with cells one unit wide row r is centred on y = n-1-r.
        heatmap.Rectangle = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Add.ColorBar(heatmap);

        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
            {
                var label = plot.Add.Text(evaluation.Confusion[r][c].ToString(CultureInfo.InvariantCulture), c, n - 1 - r);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontSize = 14;
                // Dark cells need light text to stay readable.
                label.LabelFontColor = shares[r, c] > 0.5 ? Colors.White : Colors.Black;
            }

        double[] positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        string[] names = evaluation.Classes.ToArray();
        plot.Axes.Bottom.SetTicks(positions, names);
        plot.Axes.Left.SetTicks(positions.Reverse().ToArray(), names);
        // Class names are long; slanted they do not collide, and the axis panel grows to hold the widest one.
        plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        using (var paint = Paint.NewDisposablePaint())
        {
            float widest = names.Length == 0 ? 0 : names.Max(name => plot.Axes.Bottom.TickLabelStyle.Measure(name, paint).Width);
            plot.Axes.Bottom.MinimumSize = widest * MathF.Sqrt(0.5f) + 40;
        }
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.HideGrid();
        plot.Title($"{evaluation.Task}: confusion matrix (rows: actual)");
        plot.XLabel("Predicted");
        plot.YLabel("Actual");

        int size = Math.Max(600, 200 + 60 * n);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, size + 120, size);
    }

    /// <summary>Turns a task name such as "colour/fine" into a file-name stem such as "colour-fine".</summary>
    public static string SafeName(string task)
    {
        var invalid = Path.GetInvalidFileNameChars().Append('\\').ToHashSet();
        return new string(task.Select(ch => invalid.Contains(ch) || char.IsWhiteSpace(ch) ? '-' : ch).ToArray());
    }

    private static void SaveCurve(
        string task, string what, double[] epochs, IEnumerable<double> train, IEnumerable<double> validation,
        string path, Alignment legend)
    {
        var plot = new Plot();
        plot.Add.Scatter(epochs, train.ToArray()).LegendText = "Training";
        plot.Add.Scatter(epochs, validation.ToArray()).LegendText = "Validation";
        plot.Title($"{task}: training and validation {what}");
        plot.XLabel("Epoch");
        plot.YLabel(char.ToUpperInvariant(what[0]) + what[1..]);
        // Accuracy rises and loss falls, so the legend goes in the corner the curves leave empty.
        plot.ShowLegend(legend);
        plot.SavePng(path, 800, 500);
    }
}
