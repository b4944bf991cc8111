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
/// pass that puts garments on amateur-like backgrounds), then the three small heads are fitted on those cached
/// features with AdamW, class weighting and label smoothing. The taxonomy head learns from the training photos that
/// have no paper category (T-shirts, shoes, watches...) what lies outside the catalogue's categories. Fits a 2-core
/// machine; uses CUDA when present.
/// With <see cref="TrainingOptions.RefitWithVal"/> the heads measured on val are then fitted again, with the same
/// settings, on train and val and every amateur photo, and those are saved: the shipped model sees a quarter more
/// photos, and its figures stay held out because they are the measured twin's.
/// </summary>
public static class GarmentTrainer
{
    // The heads memorise their training features well before 40 epochs (category: training accuracy 1.000 by epoch 12)
    // and lose val accuracy while doing so: 8 epochs gave category 0.966 against 0.952 at 40, colour 0.761 against 0.755
    // (docs/accuracy.md).
    public const int HeadEpochs = 8;
    public const int FeatureBatch = 64;
    public const int HeadBatch = 256;

    /// <summary>
    /// The taxonomy head's own decision (more likely in than out), not tuned on val: below it a photo is moderated. It
    /// lets through 92 % of val's photos of the six categories and 2.7 % of its other products (docs/accuracy.md).
    /// </summary>
    public const double TaxonomyThreshold = 0.5;

    public static TrainingRun Train(TrainingOptions options, ModelStore store, IProgress<TrainingProgress>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        var device = cuda.is_available() ? CUDA : CPU;
        var splits = DatasetSplits.From(options);
        var settings = PreparationSettings.ResNet;
        var train = PreparedSet.Prepare(splits.Train, settings, TrainingProgress.Of(progress, "prepare train photos", splits.Train.Count)).SomeReadable("train");
        var val = PreparedSet.Prepare(splits.Val, settings, TrainingProgress.Of(progress, "prepare val photos", splits.Val.Count)).SomeReadable("val");
        var amateur = AmateurPhotos.Load(options.AmateurFolder, options.Limit);
        var teach = PreparedSet.Prepare(amateur?.Teach ?? [], settings);
        var measure = PreparedSet.Prepare(amateur?.Measure ?? [], settings);
        torch.manual_seed(options.Seed);
        var random = new Generator((ulong)options.Seed);
        // Augmentation draws from generators of its own, one per augmented set, so cached features leave the head
        // training's draws, and each other's, unchanged.
        var augmentationRandom = new Generator((ulong)options.Seed + 1);
        var valAugmentationRandom = new Generator((ulong)options.Seed + 2);
        var augmentation = GarmentAugmentation.ForFolder(options.BackgroundsFolder) ?? new GarmentAugmentation();
        var cache = new FeatureCache(options.CacheFolder);

        var model = (GarmentModel)new GarmentModel(ModelLoader.SharedBackbone(), splits.Colours.Count, splits.Categories.Count).ToDevice(device);
        Tensor Features(PreparedSet set, (GarmentAugmentation Augment, Generator Random)? augmented, string stage) =>
            cache.GetOrCompute(CacheKey(set, settings, augmented is null ? null : (options.BackgroundsFolder, options.Seed)),
                () => Extract(model, set, augmented, device, progress, stage)).to(device);
        using var clean = Features(train, null, "features: train");
        using var shifted = Features(train, (augmentation, augmentationRandom), "features: train, augmented");
        using var valFeatures = Features(val, null, "features: val");
        using var teachFeatures = Features(teach, null, "features: amateur photos (teach)");
        using var measureFeatures = Features(measure, null, "features: amateur photos (measure)");
        using var features = cat([clean, shifted]);
        var notGarments = AmateurPhotos.NotGarments.Select(c => (long)splits.Categories.ToList().IndexOf(c)).Where(i => i >= 0).ToArray();
        using var ruledOut = RuledOutWeights(teach, amateur, splits.Categories, device);

        var epochs = options.Epochs ?? HeadEpochs;
        var colourLabels = Twice(train.Labels(r => r.Colour, splits.Colours));
        var categoryLabels = Twice(train.Labels(r => r.Category, splits.Categories));
        var valColours = val.Labels(r => r.Colour, splits.Colours);
        var valCategories = val.Labels(r => r.Category, splits.Categories);
        var colourHistory = FitHead("colour", model.ColourHead, features, colourLabels, valFeatures, valColours, splits.Colours.Count, epochs, random, progress, null, null);
        var categoryHistory = FitHead("category", model.CategoryHead, features, categoryLabels, valFeatures, valCategories, splits.Categories.Count, epochs, random, progress,
            teachFeatures, ruledOut, options.AmateurWeight);
        // Myntra products: every photo with a paper category is in, every other one (T-shirts, shoes, watches...) out.
        // No amateur photo is among them, so the head cannot learn "amateur means out"; they only measure it.
        var taxonomyLabels = Twice(InTaxonomy(train, train.Labels(r => r.Category, splits.Categories)));
        var valTaxonomy = InTaxonomy(val, valCategories);
        var taxonomyHistory = FitHead("taxonomy", model.TaxonomyHead, features, taxonomyLabels, valFeatures, valTaxonomy, 2, epochs, random, progress, null, null);

        var manifest = new ModelManifest
        {
            Version = store.NewVersion("garment"),
            Architecture = GarmentModel.Name,
            Preparation = settings,
            ColourClasses = splits.Colours,
            CategoryClasses = splits.Categories,
            FittedSplits = options.RefitWithVal ? ["train", "val"] : ["train"],
            TaxonomyThreshold = TaxonomyThreshold,
            Description = "Frozen ImageNet ResNet-18 (CNTK export, from NuGet) plus garment colour histograms, with three small trained heads " +
                "(colour, category, taxonomy).",
        };
        model.eval();
        IReadOnlyList<Prediction> predictions;
        using (var _ = no_grad())
        using (var scope = NewDisposeScope())
        {
            predictions = ColourCategoryClassifier.ToPredictions(model.Heads(valFeatures), manifest);
        }

        var validation = Evaluator.ScoreBoth(manifest, val.Rows, predictions);
        var metrics = TaxonomyMetrics(model, manifest with { ModerationThreshold = ModerationThreshold.Choose(validation) }, predictions, valTaxonomy, measureFeatures);
        if (measure.Count > 0 && notGarments.Length > 0)
        {
            using var _ = no_grad();
            using var predicted = model.CategoryHead.forward(measureFeatures).argmax(1).cpu();
            var labels = predicted.data<long>().ToArray();
            metrics["category.amateur.not_garment_share"] = labels.Count(notGarments.Contains) / (double)labels.Length;
            var notTops = AmateurPhotos.NotTops.Select(c => (long)splits.Categories.ToList().IndexOf(c)).ToArray();
            var tops = Enumerable.Range(0, measure.Count).Where(i => amateur!.IsTop(measure.Rows[i])).ToList();
            if (tops.Count > 0)
            {
                metrics["category.amateur.tops_as_dresses_or_outfits_share"] = tops.Count(i => notTops.Contains(labels[i])) / (double)tops.Count;
            }
        }

        var saved = model;
        if (options.RefitWithVal)
        {
            // The measured twin's settings and its epoch count, on every labelled photo: the learning curve was still
            // rising at the full train split (docs/accuracy.md), so the quarter more photos that val holds are worth having.
            using var valShifted = Features(val, (augmentation, valAugmentationRandom), "features: val, augmented");
            using var allFeatures = cat([clean, shifted, valFeatures, valShifted]);
            using var allNegatives = cat([teachFeatures, measureFeatures]);
            using var measureRuledOut = RuledOutWeights(measure, amateur, splits.Categories, device);
            using var allRuledOut = cat([ruledOut, measureRuledOut]);
            saved = (GarmentModel)new GarmentModel(ModelLoader.SharedBackbone(), splits.Colours.Count, splits.Categories.Count).ToDevice(device);
            FitHead("colour (train + val)", saved.ColourHead, allFeatures, [.. colourLabels, .. Twice(valColours)], valFeatures, valColours,
                splits.Colours.Count, epochs, random, progress, null, null);
            FitHead("category (train + val)", saved.CategoryHead, allFeatures, [.. categoryLabels, .. Twice(valCategories)], valFeatures, valCategories,
                splits.Categories.Count, epochs, random, progress, allNegatives, allRuledOut, options.AmateurWeight);
            FitHead("taxonomy (train + val)", saved.TaxonomyHead, allFeatures, [.. taxonomyLabels, .. Twice(valTaxonomy)], valFeatures, valTaxonomy,
                2, epochs, random, progress, null, null);
            model.Dispose();
        }

        saved.ToDevice(CPU);
        var run = new TrainingRun(manifest, [colourHistory, categoryHistory, taxonomyHistory], validation, [.. train.Skipped, .. val.Skipped, .. teach.Skipped, .. measure.Skipped], clock.Elapsed);
        run = TrainingOutput.Save(store, run, saved, options, train.Count, val.Count, metrics, new Dictionary<string, string>
        {
            ["fitted on"] = options.RefitWithVal
                ? $"train + val ({train.Count + val.Count} photos, each also augmented) and all {teach.Count + measure.Count} amateur photos; " +
                  $"every figure on this card is the measured twin's: the same settings fitted on train and {teach.Count} amateur photos, scored on val"
                : $"train ({train.Count} photos, each also augmented); scored on val",
            ["amateur photos"] = amateur is null ? "none" : $"{teach.Count} taught 'not Bags, not Decorations/jewellery', tops also 'not Dresses, not Suits/outfits' at weight {AmateurPhotos.TopsWeight} " +
                $"(loss weight {options.AmateurWeight}), {measure.Count} held out to measure it",
            ["backbone"] = "ResNet-18, ImageNet, frozen (Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1); last block average- and generalised-mean-pooled (p = 3)",
            ["input"] = $"{settings.Size}x{settings.Size}, squashed",
            ["colour features"] = $"garment-weighted 8x8x8 RGB histogram + mean/spread ({GarmentColourFeatures.Count})",
            ["heads"] = $"BatchNorm, Linear 256, ReLU, Dropout 0.3, Linear; colour on all {GarmentModel.FeatureCount} features, category and taxonomy on the backbone's {ResNet18Backbone.FeatureCount}",
            ["taxonomy gate"] = $"photos with a taxonomy probability below {TaxonomyThreshold:0.0#} go to moderation: on val it lets through " +
                $"{metrics.GetValueOrDefault("taxonomy.val.in_accepted"):P1} of the photos of the {splits.Categories.Count} categories and " +
                $"{metrics.GetValueOrDefault("taxonomy.val.out_accepted"):P1} of the other products" +
                (metrics.TryGetValue("taxonomy.amateur.accepted", out var amateurAccepted) ? $", and {amateurAccepted:P1} of the held-out amateur photos (none of the categories)" : ""),
            ["optimizer"] = "AdamW, lr 1e-3, weight decay 1e-4",
            ["loss"] = "cross-entropy, label smoothing 0.05, class weights 1/sqrt(frequency)",
            ["epochs"] = $"{epochs}",
            ["augmentation"] = "one extra pass per photo: garment cut out, shrunk/moved/flipped, on a blurred amateur or random background, mild light",
            ["device"] = device.type.ToString(),
        });
        saved.Dispose();
        return run;
    }

    private static Tensor Extract(
        GarmentModel model, PreparedSet set, (GarmentAugmentation Augment, Generator Random)? augmented, Device device, IProgress<TrainingProgress>? progress, string stage)
    {
        var parts = new List<Tensor>();
        for (var start = 0; start < set.Count; start += FeatureBatch)
        {
            using var scope = NewDisposeScope();
            var pixels = PreparedBatch.ToTensor(set.Images.Skip(start).Take(FeatureBatch).ToList(), CPU);
            if (augmented is var (augmentation, random))
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

    /// <summary>
    /// What the cached features depend on: the feature layout, the decoder that made the pixels (VITRINA_DECODER), the
    /// backbone file, the input, and each photo file as it is now; for an augmented pass also its seed and background
    /// files, which a folder name alone does not pin down.
    /// </summary>
    private static IEnumerable<string> CacheKey(PreparedSet set, PreparationSettings settings, (string? Backgrounds, int Seed)? augmented)
    {
        var variant = augmented is var (backgrounds, seed)
            ? new[] { $"augmented:{seed}" }.Concat(backgrounds is null ? [] : Directory.EnumerateFiles(backgrounds, "*", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal).Select(Stamp))
            : ["clean"];
        return new[] { $"garment-features:{GarmentModel.Name}:{GarmentModel.FeatureCount}", $"decoder:{DecoderSwitch.Default}", $"{settings}",
                Stamp(ResNet18Backbone.DefaultOnnxPath) }
            .Concat(variant)
            .Concat(set.Rows.Select(r => Stamp(r.Path)));
    }

    private static string Stamp(string path)
    {
        var file = new FileInfo(path);
        return $"{path}:{file.Length}:{file.LastWriteTimeUtc.Ticks}";
    }

    /// <summary>[photos, categories]: the weight of each category an amateur photo certainly is not (<see cref="AmateurPhotos.RuledOut"/>), else 0.</summary>
    private static Tensor RuledOutWeights(PreparedSet photos, AmateurPhotos? amateur, IReadOnlyList<string> categories, Device device)
    {
        var weights = new float[photos.Count * categories.Count];
        var index = categories.ToList();
        for (var i = 0; i < photos.Count; i++)
        {
            foreach (var (category, weight) in amateur!.RuledOut(photos.Rows[i]))
            {
                if (index.IndexOf(category) is var c and >= 0)
                {
                    weights[i * categories.Count + c] = weight;
                }
            }
        }

        return tensor(weights, [photos.Count, categories.Count], device: device);
    }

    /// <param name="negatives">Features of photos known not to belong to the classes their row of <paramref name="ruledOut"/> weighs.</param>
    private static TrainingHistory FitHead(
        string task, nn.Module<Tensor, Tensor> head, Tensor features, int[] labels, Tensor valFeatures, int[] valLabels,
        int classes, int epochs, Generator random, IProgress<TrainingProgress>? progress, Tensor? negatives, Tensor? ruledOut,
        double negativeWeight = 0)
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
            using var epochScope = NewDisposeScope(); // this epoch's shuffle, freed now rather than by the GC
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
                if (negatives is not null && ruledOut is not null && negatives.shape[0] > 0)
                {
                    // Push probability mass off the classes these photos certainly are not: -log(1 - their weighted probability).
                    var pick = randint(negatives.shape[0], Math.Min(HeadBatch / 2, negatives.shape[0]), generator: random).to(device);
                    var p = nn.functional.softmax(head.forward(negatives.index_select(0, pick)), 1);
                    var wrong = (p * ruledOut.index_select(0, pick)).sum(1);
                    batchLoss = batchLoss + (-(1 - wrong + 1e-6f).log()).mean() * negativeWeight;
                }

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

    /// <summary>1 for a photo of one of the categories, 0 for one of none, -1 (left out) where the dataset cannot say.</summary>
    private static int[] InTaxonomy(PreparedSet set, int[] categoryLabels) =>
        categoryLabels.Select((c, i) => set.Rows[i].CategoryUnknown ? -1 : c >= 0 ? 1 : 0).ToArray();

    /// <summary>
    /// What the taxonomy gate lets through (on val, photos with and without a paper category; the held-out amateur
    /// photos, none of which has one) and what reaches the catalogue once the confidence threshold is applied as well.
    /// </summary>
    private static Dictionary<string, double> TaxonomyMetrics(
        GarmentModel model, ModelManifest manifest, IReadOnlyList<Prediction> val, int[] valTaxonomy, Tensor amateurFeatures)
    {
        var metrics = new Dictionary<string, double>();
        foreach (var (name, inside) in new[] { ("in", 1), ("out", 0) })
        {
            var rows = Enumerable.Range(0, val.Count).Where(i => valTaxonomy[i] == inside).ToList();
            if (rows.Count > 0)
            {
                metrics[$"taxonomy.val.{name}_accepted"] = rows.Count(i => val[i].IsInTaxonomy(manifest)) / (double)rows.Count;
                metrics[$"catalogued.val.{name}_share"] = rows.Count(i => !val[i].NeedsModeration(manifest)) / (double)rows.Count;
            }
        }

        if (amateurFeatures.shape[0] > 0)
        {
            using var _ = no_grad();
            using var scope = NewDisposeScope();
            var amateur = ColourCategoryClassifier.ToPredictions(model.Heads(amateurFeatures), manifest);
            metrics["taxonomy.amateur.accepted"] = amateur.Count(p => p.IsInTaxonomy(manifest)) / (double)amateur.Count;
            metrics["catalogued.amateur.share"] = amateur.Count(p => !p.NeedsModeration(manifest)) / (double)amateur.Count;
        }

        return metrics;
    }
}
