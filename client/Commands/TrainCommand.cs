using System.CommandLine;
using Spectre.Console;
using Vitrina.Training.Data;
using Vitrina.Training.Store;
using Vitrina.Training.Training;

namespace Vitrina.Client.Commands;

/// <summary><c>vitrina train</c>: trains the paper's models or Vitrina's garment model and saves a new version.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Labelled folder: labels.csv (file, colour, category[, split]) or one sub-folder per class.",
            Required = true,
        };
        var model = new Option<string>("--model")
        {
            Description = "garment: ResNet-18 + garment colour heads (the default model); paper: the paper's Model 1 and Model 2.",
            DefaultValueFactory = _ => "garment",
        };
        data.AcceptExistingOnly();
        model.AcceptOnlyFromAmong("garment", "paper");
        var epochs = new Option<int?>("--epochs") { Description = $"Epochs (default: 30 for paper, {GarmentTrainer.HeadEpochs} head epochs for garment)." };
        var categoryEpochs = new Option<int?>("--category-epochs") { Description = "Epochs for the paper's Model 2 alone (default: --epochs)." };
        var limit = new Option<int?>("--limit") { Description = "Use at most this many photos per split (smoke runs)." };
        var backgrounds = new Option<DirectoryInfo?>("--backgrounds")
        {
            Description = "Amateur photos (e.g. shared/data/clothing-cc0/images) used as blurred backgrounds in augmentation (garment model).",
        };
        var amateur = new Option<DirectoryInfo?>("--amateur")
        {
            Description = "Amateur clothing photos with labels.csv (file,label), e.g. shared/data/clothing-cc0: half teach the category head they are not Bags/Decorations (and tops not Dresses/Suits), half measure it.",
        };
        var amateurWeight = new Option<double>("--amateur-weight")
        {
            Description = "Weight of the amateur-photo loss against the catalogue loss (garment model).",
            DefaultValueFactory = _ => 0.3,
        };
        var refit = new Option<bool>("--refit-with-val")
        {
            Description = "Garment model: after scoring the heads on val, fit them again with the same settings on train + val and every amateur photo, " +
                "and save those (how the shipped model is made). The saved figures stay the scored ones; `evaluate --split val` then warns.",
        };
        backgrounds.MustExist();
        amateur.MustExist();
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 42 };
        var store = CommonOptions.Store();
        var noCurrent = new Option<bool>("--keep-current") { Description = "Save the new version without making it current." };
        var command = new Command("train", "Train a model on a labelled folder and save it as a new version in the model store.")
        {
            data, model, epochs, categoryEpochs, limit, backgrounds, amateur, amateurWeight, refit, seed, store, noCurrent,
        };
        amateurWeight.Validators.Add(result =>
        {
            if (result.TryGetValue(amateurWeight, out var weight) && !(double.IsFinite(weight) && weight >= 0))
            {
                result.AddError($"--amateur-weight must be a number of at least 0; got {weight}.");
            }
        });
        foreach (var count in new[] { epochs, categoryEpochs, limit })
        {
            count.Validators.Add(result =>
            {
                if (result.TryGetValue(count, out var n) && n is < 1)
                {
                    result.AddError($"{count.Name} must be at least 1");
                }
            });
        }

        command.Validators.Add(result =>
        {
            var paper = result.TryGetValue(model, out var chosen) && chosen == "paper";
            var given = (Option[] options) => options.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (paper && given([backgrounds, amateur, amateurWeight, refit]) is { Count: > 0 } garmentOnly)
            {
                result.AddError($"{string.Join(", ", garmentOnly)}: only for --model garment (the paper's models train as published)");
            }

            if (!paper && given([categoryEpochs]) is { Count: > 0 } paperOnly)
            {
                result.AddError($"{string.Join(", ", paperOnly)}: only for --model paper (the garment model's heads train together)");
            }
        });

        command.SetAction(parse =>
        {
            var options = new TrainingOptions
            {
                DataFolder = parse.GetRequiredValue(data).FullName,
                Epochs = parse.GetValue(epochs),
                CategoryEpochs = parse.GetValue(categoryEpochs),
                Limit = parse.GetValue(limit),
                BackgroundsFolder = parse.GetValue(backgrounds)?.FullName,
                AmateurFolder = parse.GetValue(amateur)?.FullName,
                AmateurWeight = parse.GetValue(amateurWeight),
                RefitWithVal = parse.GetValue(refit),
                Seed = parse.GetValue(seed),
                MakeCurrent = !parse.GetValue(noCurrent),
            };
            var modelStore = new ModelStore(parse.GetValue(store)!, ModelStore.ShippedRoot);
            var run = ProgressBars.Run($"Training {parse.GetValue(model)} model on {options.DataFolder}", progress =>
                parse.GetValue(model) == "paper"
                    ? PaperTrainer.Train(options, modelStore, progress)
                    : GarmentTrainer.Train(options, modelStore, progress));
            foreach (var evaluation in run.Validation)
            {
                Console.WriteLine(evaluation.ToText());
            }

            if (run.Skipped.Count > 0)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]{run.Skipped.Count} unreadable photo(s) skipped[/], listed in {Path.Combine(modelStore.FolderOf(run.Manifest.Version), "skipped.txt")}");
            }

            AnsiConsole.MarkupLineInterpolated(
                $"[green]saved[/] model {run.Manifest.Version} to {modelStore.FolderOf(run.Manifest.Version)} in {(int)run.Elapsed.TotalHours}:{run.Elapsed:mm\\:ss}");
            return 0;
        });
        return command;
    }
}
