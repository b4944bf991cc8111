using System.Text.Json;
using Vitrina.Training.Evaluation;
using Vitrina.Training.Models;
using Vitrina.Training.Reports;
using Vitrina.Training.Store;

namespace Vitrina.Training.Training;

/// <summary>Saves a trained model as a store version with its reports: curves, confusion matrices, scores, model card.</summary>
public static class TrainingOutput
{
    public static TrainingRun Save(
        ModelStore store, TrainingRun run, ColourCategoryModel model, TrainingOptions options, int trainCount, int valCount,
        IReadOnlyDictionary<string, double> extraMetrics, IReadOnlyDictionary<string, string> settings)
    {
        var metrics = new Dictionary<string, double>(extraMetrics);
        foreach (var evaluation in run.Validation)
        {
            metrics[$"{evaluation.Task}.val.accuracy"] = evaluation.Accuracy;
            metrics[$"{evaluation.Task}.val.top2"] = evaluation.Top2Accuracy;
            metrics[$"{evaluation.Task}.val.mean_recall"] = evaluation.MeanRecall;
        }

        var manifest = run.Manifest with { Metrics = metrics, ModerationThreshold = ModerationThreshold.Choose(run.Validation) };
        store.Save(manifest, model, folder =>
        {
            var plots = new List<string>();
            foreach (var history in run.Histories)
            {
                ReportPlots.SaveCurves(history, folder);
            }

            foreach (var evaluation in run.Validation)
            {
                var file = $"{evaluation.Task}-confusion.png";
                ReportPlots.SaveConfusionMatrix(evaluation, Path.Combine(folder, file));
                plots.Add(file);
            }

            plots.AddRange(Directory.EnumerateFiles(folder, "*-accuracy.png").Concat(Directory.EnumerateFiles(folder, "*-loss.png"))
                .Select(Path.GetFileName).OfType<string>().Order());
            File.WriteAllText(Path.Combine(folder, "evaluation.json"), JsonSerializer.Serialize(run.Validation, ModelManifest.Json));
            File.WriteAllText(Path.Combine(folder, "history.json"), JsonSerializer.Serialize(run.Histories, ModelManifest.Json));
            if (run.Skipped.Count > 0)
            {
                File.WriteAllLines(Path.Combine(folder, "skipped.txt"), run.Skipped.Select(s => $"{s.Path}\t{s.Reason}"));
            }

            File.WriteAllText(Path.Combine(folder, "MODEL_CARD.md"), ModelCard.Render(new ModelCardInput(
                manifest.Version, manifest.Architecture, manifest.Description, options.DataFolder, trainCount, valCount,
                manifest.ColourClasses, manifest.CategoryClasses, settings, run.Validation, plots, run.Elapsed)));
        }, options.MakeCurrent);
        return run with { Manifest = manifest };
    }
}
