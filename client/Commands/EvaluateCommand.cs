using System.CommandLine;
using System.Text.Json;
using Vitrina.Training.Data;
using Vitrina.Training.Evaluation;
using Vitrina.Training.Inference;
using Vitrina.Training.Reports;
using Vitrina.Training.Store;
using Vitrina.Training.Training;

namespace Vitrina.Client.Commands;

/// <summary><c>vitrina evaluate</c>: scores the current model on a labelled folder.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Labelled folder (labels.csv or one sub-folder per class).", Required = true };
        data.AcceptExistingOnly();
        var split = new Option<string>("--split")
        {
            Description = "Which rows of labels.csv to score: all, or one value of its split column (val, train, test, ...). " +
                "Rows without a split, and class-folder datasets, count as train.",
            DefaultValueFactory = _ => "all",
        };
        var plots = new Option<DirectoryInfo?>("--plots") { Description = "Also write confusion-matrix PNGs into this folder." };
        var shift = new Option<DirectoryInfo?>("--shift-backgrounds")
        {
            Description = "Robustness check for white-background photos: cut each garment out, move it and lay it on a blurred photo from this folder before classifying.",
        };
        shift.MustExist();
        var json = CommonOptions.Json();
        var store = CommonOptions.Store();
        var command = new Command("evaluate",
            "Accuracy, top-2, per-class precision/recall, confusion matrix, random baseline and the coverage/accuracy trade-off of the confidence threshold.")
        {
            data, split, plots, shift, json, store,
        };
        command.SetAction(parse =>
        {
            using var classifier = ColourCategoryClassifier.LoadCurrent(new ModelStore(parse.GetValue(store)!, ModelStore.ShippedRoot));
            var manifest = classifier.Manifest;
            parse.GetValue(plots)?.Create(); // a folder that cannot be written fails now, not after the whole evaluation
            var dataset = LabelledDataset.Load(parse.GetRequiredValue(data).FullName, manifest.ColourClasses, manifest.CategoryClasses);

            var random = new TorchSharp.torch.Generator(42);
            var wanted = parse.GetValue(split)!.ToLowerInvariant();
            var rows = dataset.Images.Where(r => wanted == "all" || r.Split == wanted).ToList();
            if (rows.Count == 0)
            {
                var present = dataset.Images.GroupBy(r => r.Split).Select(g => $"{g.Key} ({g.Count()})");
                Console.Error.WriteLine($"error: no photos in split '{wanted}' of {dataset.Root}; its splits: {string.Join(", ", present)}");
                return 2;
            }

            // A folder without a split column (class folders, a plain labels.csv) reads as all "train": no training set, as a rule.
            var hasSplits = wanted != "all" || dataset.Images.Select(r => r.Split).Distinct().Skip(1).Any();
            var fitted = rows.Select(r => r.Split).Distinct().Where(s => manifest.FittedSplits.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
            if (hasSplits && fitted.Count > 0)
            {
                Console.Error.WriteLine($"warning: model {manifest.Version} was fitted on the '{string.Join("', '", fitted)}' split(s) of the data it was trained on, " +
                    "and these rows include them: if this is that data, these figures are not held out (pick one with --split; its model card's figures are the held-out ones)");
            }

            var (evaluations, skippedPhotos) = ProgressBars.Run($"Evaluating model {manifest.Version} on {rows.Count} photos", progress =>
            {
                var transform = GarmentAugmentation.ForFolder(parse.GetValue(shift)?.FullName) is { } augmentation
                    ? (Func<TorchSharp.torch.Tensor, TorchSharp.torch.Tensor>)(batch => augmentation.Apply(batch, random))
                    : null;
                return Evaluator.EvaluateFolder(classifier, rows, new InlineProgress<int>(n => progress.Report(new TrainingProgress("evaluate", n, rows.Count))), transform);
            });
            foreach (var skipped in skippedPhotos)
            {
                Console.Error.WriteLine($"skipped {skipped.Path}: {skipped.Reason}");
            }

            if (evaluations.All(e => e.Count == 0))
            {
                Console.Error.WriteLine($"error: nothing to score: none of the {rows.Count} photo(s) could be read with a label of this model's classes");
                return 2;
            }

            if (parse.GetValue(plots) is { } folder)
            {
                foreach (var e in evaluations.Where(e => e.Count > 0))
                {
                    ReportPlots.SaveConfusionMatrix(e, Path.Combine(folder.FullName, $"{ReportPlots.SafeName(e.Task)}-confusion.png"));
                }
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    model = manifest.Version, threshold = manifest.ModerationThreshold, taxonomyThreshold = manifest.TaxonomyThreshold,
                    fittedSplits = manifest.FittedSplits, tasks = evaluations,
                }, Output.Json));
            }
            else
            {
                Console.WriteLine($"model {manifest.Version}; moderation threshold {manifest.ModerationThreshold:F2}" +
                    (manifest.TaxonomyThreshold > 0 ? $"; taxonomy gate {manifest.TaxonomyThreshold:F2} (photos below it go to moderation too)" : ""));
                foreach (var e in evaluations.Where(e => e.Count > 0))
                {
                    Console.WriteLine(e.ToText());
                }
            }

            return 0;
        });
        return command;
    }
}
