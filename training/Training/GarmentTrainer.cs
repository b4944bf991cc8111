using System.Diagnostics;
using TorchSharp;
using Vitrina.Training.Data;
using Vitrina.Training.Evaluation;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Models;
using Vitrina.Training.Reports;
using Vitrina.Training.Store;
using static TorchSharp.torch;

namespace Vitrina.Training.Training;

/// <summary>
/// Trains Vitrina's model: backbone and colour features are computed once per photo (a clean pass and an augmented
/// pass that puts garments on amateur-like backgrounds), then the two small heads are fitted on those cached
/// features with AdamW, class weighting and label smoothing. Fits a 2-core machine; uses CUDA when present.
/// </summary>
public static class GarmentTrainer
{
    public const int HeadEpochs = 40;
    public const int FeatureBatch = 64;
    public const int HeadBatch = 256;

    public static TrainingRun Train(TrainingOptions options, ModelStore store, IProgress<TrainingProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var device = cuda.is_available() ? CUDA : CPU;
        var splits = DatasetSplits.From(options);
        var settings = PreparationSettings.ResNet;
        var train = PreparedSet.Prepare(splits.Train, settings, PaperTrainer.Report(progress, "prepare train photos", splits.Train.Count));
        var val = PreparedSet.Prepare(splits.Val, settings, PaperTrainer.Report(progress, "prepare val photos", splits.Val.Count));
        torch.manual_seed(options.Seed);
        var random = new Generator((ulong)options.Seed);
        var augmentation = GarmentAugmentation.ForFolder(options.BackgroundsFolder) ?? new GarmentAugmentation();

        var model = (GarmentModel)new GarmentModel(ModelLoader.SharedBackbone, splits.Colours.Count, splits.Categories.Count).ToDevice(device);
        using var clean = Extract(model, train, null, random, device, progress, "features: train");
        using var shifted = Extract(model, train, augmentation, random, device, progress, "features: train, augmented");
        using var valFeatures = Extract(model, val, null, random, device, progress, "features: val");
        using var features = cat([clean, shifted]);

        var epochs = options.Epochs ?? HeadEpochs;
        var colourLabels = Twice(train.Labels(r => r.Colour, splits.Colours));
        var categoryLabels = Twice(train.Labels(r => r.Category, splits.Categories));
        var colourHistory = FitHead("colour", model.ColourHead, features, colourLabels, valFeatures, val.Labels(r => r.Colour, splits.Colours), splits.Colours.Count, epochs, random, progress);
        var categoryHistory = FitHead("category", model.CategoryHead, features, categoryLabels, valFeatures, val.Labels(r => r.Category, splits.Categories), splits.Categories.Count, epochs, random, progress);

        var manifest = new ModelManifest
        {
            Version = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-garment",
            Architecture = GarmentModel.Name,
            Preparation = settings,
            ColourClasses = splits.Colours,
            CategoryClasses = splits.Categories,
            Description = "Frozen ImageNet ResNet-18 (CNTK export, from NuGet) plus garment colour histograms, with two small trained heads.",
        };
        model.eval();
        IReadOnlyList<Prediction> predictions;
        using (var _ = no_grad())
        {
            predictions = CatalogueClassifier.ToPredictions(model.ColourHead.forward(valFeatures), model.CategoryHead.forward(valFeatures), manifest);
        }

        IReadOnlyList<TaskEvaluation> validation =
        [
            Evaluator.Score("colour", splits.Colours, val, predictions, r => r.Colour, p => (p.Colour, p.ColourProbability, p.ColourTop2)),
            Evaluator.Score("category", splits.Categories, val, predictions, r => r.Category, p => (p.Category, p.CategoryProbability, p.CategoryTop2)),
        ];
        model.ToDevice(CPU);
        var run = new TrainingRun(manifest, [colourHistory, categoryHistory], validation, [.. train.Skipped, .. val.Skipped], clock.Elapsed);
        run = TrainingOutput.Save(store, run, model, options, train.Count, val.Count, new Dictionary<string, string>
        {
            ["backbone"] = "ResNet-18, ImageNet, frozen (Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1)",
            ["input"] = $"{settings.Size}x{settings.Size}, squashed",
            ["colour features"] = $"garment-weighted 8x8x8 RGB histogram + mean/spread ({GarmentColourFeatures.Count})",
            ["heads"] = "BatchNorm, Linear 256, ReLU, Dropout 0.3, Linear",
            ["optimizer"] = "AdamW, lr 1e-3, weight decay 1e-4",
            ["loss"] = "cross-entropy, label smoothing 0.05, class weights 1/sqrt(frequency)",
            ["epochs"] = $"{epochs}",
            ["augmentation"] = "one extra pass per photo: garment cut out, shrunk/moved/flipped, on a blurred amateur or random background, mild light",
            ["device"] = device.type.ToString(),
        });
        model.Dispose();
        return run;
    }

    private static Tensor Extract(GarmentModel model, PreparedSet set, GarmentAugmentation? augmentation, Generator random, Device device, IProgress<TrainingProgress>? progress, string stage)
    {
        var parts = new List<Tensor>();
        for (var start = 0; start < set.Count; start += FeatureBatch)
        {
            using var scope = NewDisposeScope();
            var pixels = CatalogueClassifier.ToBatch(set.Images.Skip(start).Take(FeatureBatch).ToList(), CPU);
            if (augmentation is not null)
            {
                pixels = augmentation.Apply(pixels, random);
            }

            parts.Add(model.Features(pixels.to(device)).MoveToOuterDisposeScope());
            progress?.Report(new TrainingProgress(stage, Math.Min(set.Count, start + FeatureBatch), set.Count));
        }

        var all = parts.Count > 0 ? cat(parts) : zeros(0, GarmentModel.FeatureCount, device: device);
        parts.ForEach(p => p.Dispose());
        return all;
    }

    private static TrainingHistory FitHead(
        string task, nn.Module<Tensor, Tensor> head, Tensor features, int[] labels, Tensor valFeatures, int[] valLabels,
        int classes, int epochs, Generator random, IProgress<TrainingProgress>? progress)
    {
        var device = features.device;
        var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] >= 0).Select(i => (long)i).ToArray();
        var valRows = Enumerable.Range(0, valLabels.Length).Where(i => valLabels[i] >= 0).Select(i => (long)i).ToArray();
        using var x = features.index_select(0, tensor(rows, device: device));
        using var y = tensor(rows.Select(i => (long)labels[i]).ToArray(), device: device);
        using var vx = valFeatures.index_select(0, tensor(valRows, device: device));
        using var vy = tensor(valRows.Select(i => (long)valLabels[i]).ToArray(), device: device);
        var counts = Enumerable.Range(0, classes).Select(c => Math.Max(1, labels.Count(l => l == c))).ToArray();
        using var weights = tensor(counts.Select(c => (float)Math.Sqrt((double)rows.Length / (classes * c))).ToArray(), device: device);

        var history = new TrainingHistory(task);
        var optimizer = optim.AdamW(head.parameters(), lr: 1e-3, weight_decay: 1e-4);
        var schedule = optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            head.train();
            double loss = 0, correct = 0;
            var order = randperm(rows.Length, generator: random).to(device);
            for (var start = 0; start < rows.Length; start += HeadBatch)
            {
                using var scope = NewDisposeScope();
                var batch = order.narrow(0, start, Math.Min(HeadBatch, rows.Length - start));
                var logits = head.forward(x.index_select(0, batch));
                var target = y.index_select(0, batch);
                var batchLoss = nn.functional.cross_entropy(logits, target, weights, label_smoothing: 0.05);
                optimizer.zero_grad();
                batchLoss.backward();
                optimizer.step();
                loss += batchLoss.item<float>() * batch.shape[0];
                correct += logits.argmax(1).eq(target).sum().item<long>();
            }

            schedule.step();
            head.eval();
            double valLoss, valAccuracy;
            using (var _ = no_grad())
            using (var scope = NewDisposeScope())
            {
                var logits = head.forward(vx);
                valLoss = vy.shape[0] > 0 ? nn.functional.cross_entropy(logits, vy).item<float>() : 0;
                valAccuracy = vy.shape[0] > 0 ? logits.argmax(1).eq(vy).sum().item<long>() / (double)vy.shape[0] : 0;
            }

            var result = new EpochResult(epoch, loss / rows.Length, correct / rows.Length, valLoss, valAccuracy);
            history.Add(result);
            progress?.Report(new TrainingProgress($"train {task} head", epoch, epochs,
                $"loss {result.TrainLoss:F3} acc {result.TrainAccuracy:F3} | val loss {valLoss:F3} acc {valAccuracy:F3}"));
        }

        return history;
    }

    private static int[] Twice(int[] labels) => [.. labels, .. labels];
}
