using System.Diagnostics;
using TorchSharp;
using Vitrina.Training.Evaluation;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Models;
using Vitrina.Training.Reports;
using Vitrina.Training.Store;
using static TorchSharp.torch;

namespace Vitrina.Training.Training;

/// <summary>
/// Reproduces the paper's set-up (shared/paper-models.md): RMSprop (lr 1e-4), categorical cross-entropy, 150x150,
/// batch 20, 30 epochs; Model 1 with 17 steps and 6 validation steps per epoch, Model 2 with the augmenting generator,
/// 100 steps and 6 validation steps. Then scores both on the whole validation split.
/// </summary>
public static class PaperTrainer
{
    public const int BatchSize = 20;
    public const int Epochs = 30;
    public const int ValidationSteps = 6;
    public const int ColourSteps = 17;
    public const int CategorySteps = 100;

    public static TrainingRun Train(TrainingOptions options, ModelStore store, IProgress<TrainingProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var splits = DatasetSplits.From(options);
        var settings = PreparationSettings.Paper;
        var train = PreparedSet.Prepare(splits.Train, settings, TrainingProgress.Of(progress, "prepare train photos", splits.Train.Count)).SomeReadable("train");
        var val = PreparedSet.Prepare(splits.Val, settings, TrainingProgress.Of(progress, "prepare val photos", splits.Val.Count)).SomeReadable("val");
        torch.manual_seed(options.Seed);
        var random = new Generator((ulong)options.Seed);

        var model = new PaperModels(splits.Colours.Count, splits.Categories.Count);
        var epochs = options.Epochs ?? Epochs;
        var colourHistory = Fit("colour", model.Colour, train, val, train.Labels(r => r.Colour, splits.Colours), val.Labels(r => r.Colour, splits.Colours),
            epochs, options.StepsPerEpoch ?? ColourSteps, augment: null, random, progress);
        var categoryHistory = Fit("category", model.Category, train, val, train.Labels(r => r.Category, splits.Categories), val.Labels(r => r.Category, splits.Categories),
            options.CategoryEpochs ?? epochs, options.StepsPerEpoch ?? CategorySteps, KerasAugmentation.Apply, random, progress);

        var manifest = new ModelManifest
        {
            Version = store.NewVersion("paper"),
            Architecture = PaperModels.Name,
            Preparation = settings,
            ColourClasses = splits.Colours,
            CategoryClasses = splits.Categories,
            Description = "The paper's Model 1 (colour) and Model 2 (category), trained as published.",
        };
        var classifier = new ColourCategoryClassifier(model, manifest);
        var validation = Evaluator.Evaluate(classifier, val, TrainingProgress.Of(progress, "validate", val.Count));
        var histories = new[] { colourHistory, categoryHistory };
        var run = new TrainingRun(manifest, histories, validation, [.. train.Skipped, .. val.Skipped], clock.Elapsed);
        run = TrainingOutput.Save(store, run, model, options, train.Count, val.Count, new Dictionary<string, double>(), new Dictionary<string, string>
        {
            ["optimizer"] = "RMSprop, lr 1e-4",
            ["loss"] = "categorical cross-entropy",
            ["input"] = "150x150, squashed",
            ["batch"] = $"{BatchSize}",
            ["epochs"] = $"colour {epochs}, category {options.CategoryEpochs ?? epochs}",
            ["steps per epoch"] = $"colour {ColourSteps}, category {CategorySteps}",
            ["validation steps"] = $"{ValidationSteps}",
            ["category augmentation"] = "rotation 40, shifts 0.2, shear 0.2, zoom 0.2, horizontal flip",
        });
        classifier.Dispose();
        return run;
    }

    private static TrainingHistory Fit(
        string task, ImageClassifierModule model, PreparedSet train, PreparedSet val, int[] trainLabels, int[] valLabels,
        int epochs, int steps, Func<Tensor, Generator, Tensor>? augment, Generator random, IProgress<TrainingProgress>? progress)
    {
        var history = new TrainingHistory(task);
        var trainBatches = new BatchCycle(Indices(trainLabels), random);
        var valBatches = new BatchCycle(Indices(valLabels), random: null);
        var optimizer = optim.RMSProp(model.parameters(), lr: 1e-4);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            model.train();
            var (trainLoss, trainAccuracy) = Run(model, train, trainLabels, trainBatches, steps, augment, random, optimizer);
            model.eval();
            // A val split with no photo labelled for this task (say, category labels only) has nothing to score.
            var (valLoss, valAccuracy) = valLabels.Any(l => l >= 0) ? Run(model, val, valLabels, valBatches, ValidationSteps, null, random, null) : (0, 0);
            history.Add(new EpochResult(epoch, trainLoss, trainAccuracy, valLoss, valAccuracy));
            progress?.Report(new TrainingProgress($"train {task}", epoch, epochs,
                $"loss {trainLoss:F3} acc {trainAccuracy:F3} | val loss {valLoss:F3} acc {valAccuracy:F3}"));
        }

        return history;
    }

    private static (double Loss, double Accuracy) Run(
        ImageClassifierModule model, PreparedSet set, int[] labels, BatchCycle batches, int steps,
        Func<Tensor, Generator, Tensor>? augment, Generator random, optim.Optimizer? optimizer)
    {
        double loss = 0, correct = 0, seen = 0;
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var indices = batches.Next(BatchSize);
            var pixels = PreparedBatch.ToTensor(indices.Select(i => set.Images[i]).ToList(), CPU);
            if (augment is not null)
            {
                pixels = augment(pixels, random);
            }

            var target = tensor(indices.Select(i => (long)labels[i]).ToArray());
            using var grad = optimizer is null ? no_grad() : null;
            var logits = model.forward(pixels);
            var batchLoss = nn.functional.cross_entropy(logits, target);
            if (optimizer is not null)
            {
                optimizer.zero_grad();
                batchLoss.backward();
                optimizer.step();
            }

            loss += batchLoss.item<float>() * indices.Length;
            correct += logits.argmax(1).eq(target).sum().item<long>();
            seen += indices.Length;
        }

        return (loss / Math.Max(1, seen), correct / Math.Max(1, seen));
    }

    private static int[] Indices(int[] labels) => Enumerable.Range(0, labels.Length).Where(i => labels[i] >= 0).ToArray();
}
