using Vitrina.Tests.Support;
using Vitrina.Training.Data;
using Vitrina.Training.Evaluation;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Store;
using Vitrina.Training.Training;

namespace Vitrina.Tests.Training;

public sealed class TinyTrainingTests
{
    [Fact]
    public void Garment_model_learns_a_small_learnable_set_well_above_random()
    {
        using var data = new TempFolder();
        using var models = new TempFolder();
        using var amateur = new TempFolder();
        using var cache = new TempFolder();
        var options = new TrainingOptions
        {
            DataFolder = SyntheticDataset.Write(data, otherProductsPerColour: 6), Epochs = 30, ColourThreshold = 1, CategoryThreshold = 1,
            AmateurFolder = SyntheticDataset.WriteAmateur(amateur), CacheFolder = cache.Path,
        };
        var store = new ModelStore(models.Path);

        var run = GarmentTrainer.Train(options, store);

        var colour = run.Validation.Single(e => e.Task == "colour");
        var category = run.Validation.Single(e => e.Task == "category");
        Assert.Equal(4, colour.Classes.Count);
        Assert.True(colour.Accuracy > colour.ExpectedRandomBaseline + 0.4, $"colour {colour.Accuracy:F2} vs random {colour.ExpectedRandomBaseline:F2}");
        Assert.True(category.Accuracy > category.ExpectedRandomBaseline + 0.3, $"category {category.Accuracy:F2} vs random {category.ExpectedRandomBaseline:F2}");

        var folder = store.FolderOf(run.Manifest.Version);
        foreach (var report in new[] { "manifest.json", "MODEL_CARD.md", "colour-confusion.png", "colour-accuracy.png", "category-loss.png", "evaluation.json" })
        {
            Assert.True(File.Exists(Path.Combine(folder, report)), $"{report} missing");
        }

        Assert.Equal(run.Manifest.Version, store.CurrentVersion());
        Assert.InRange(run.Manifest.Metrics["category.amateur.not_garment_share"], 0, 1);

        // The taxonomy head learnt that bars (no category) are none of the catalogue's categories: the saved model sends
        // a new bar to moderation however sure its category head is, and lets a new square through.
        Assert.Equal(GarmentTrainer.TaxonomyThreshold, run.Manifest.TaxonomyThreshold);
        Assert.True(run.Manifest.Metrics["taxonomy.val.in_accepted"] >= 0.8, $"in: {run.Manifest.Metrics["taxonomy.val.in_accepted"]:F2}");
        Assert.True(run.Manifest.Metrics["taxonomy.val.out_accepted"] <= 0.2, $"out: {run.Manifest.Metrics["taxonomy.val.out_accepted"]:F2}");
        using (var classifier = ColourCategoryClassifier.LoadCurrent(store))
        {
            using var bar = TestImages.Garment(TestImages.Colours["Blue"], 2, seed: 999);
            using var square = TestImages.Garment(TestImages.Colours["Blue"], 0, seed: 999);
            var answers = classifier.Classify(new[] { bar, square }.Select(i => ImagePreparation.Prepare(TestImages.Jpeg(i), run.Manifest.Preparation)).ToList());
            Assert.True(answers[0].InTaxonomyProbability < 0.5 && answers[0].NeedsModeration(classifier.Manifest), $"bar: {answers[0]}");
            Assert.True(answers[1].InTaxonomyProbability > 0.5, $"square: {answers[1]}");
            var rows = LabelledDataset.Load(options.DataFolder).Images.Where(r => r.Split == "val").ToList();
            var taxonomy = Evaluator.EvaluateFolder(classifier, rows).Evaluations.Single(e => e.Task == "taxonomy");
            Assert.Equal(rows.Count, taxonomy.Count);
            Assert.True(taxonomy.Accuracy >= 0.8, $"taxonomy {taxonomy.Accuracy:F2}");
        }

        // A second run over the same photos reads their features from the cache.
        Assert.NotEmpty(Directory.EnumerateFiles(cache.Path, "features-*.bin"));
        var again = GarmentTrainer.Train(options with { Epochs = 1 }, store);
        Assert.Single(again.Histories[0].Epochs);
    }

    [Fact]
    public void Refitting_with_val_saves_heads_that_learned_val_with_the_figures_of_the_twin_fitted_on_train()
    {
        using var data = new TempFolder();
        using var models = new TempFolder();
        using var amateur = new TempFolder();
        using var cache = new TempFolder();
        // Val is made the larger split and labels every shape the other way round: only heads fitted on val answer it.
        var folder = SyntheticDataset.Write(data);
        static string SwapSplits(string line) => line.Split(',') is [var file, var colour, var category, var split]
            ? split == "train" ? $"{file},{colour},{(category == "Bags" ? "Dresses" : "Bags")},val" : $"{file},{colour},{category},train"
            : throw new InvalidDataException(line);
        var labels = File.ReadAllLines(Path.Combine(folder, "labels.csv"));
        File.WriteAllLines(Path.Combine(folder, "labels.csv"), labels.Take(1).Concat(labels.Skip(1).Select(SwapSplits)));
        var options = new TrainingOptions
        {
            DataFolder = folder, Epochs = 30, ColourThreshold = 1, CategoryThreshold = 1,
            AmateurFolder = SyntheticDataset.WriteAmateur(amateur), CacheFolder = cache.Path, MakeCurrent = false,
        };
        var store = new ModelStore(models.Path);

        var twin = GarmentTrainer.Train(options, store);
        var refitted = GarmentTrainer.Train(options with { RefitWithVal = true }, store);

        Assert.Equal(twin.Manifest.Metrics, refitted.Manifest.Metrics);
        Assert.Equal(twin.Manifest.ModerationThreshold, refitted.Manifest.ModerationThreshold);
        Assert.Equal(["train"], twin.Manifest.FittedSplits);
        Assert.Equal(["train", "val"], refitted.Manifest.FittedSplits);
        Assert.True(twin.Manifest.Metrics["category.val.accuracy"] < 0.3, $"twin scored {twin.Manifest.Metrics["category.val.accuracy"]:F2} on the swapped val labels");
        var val = LabelledDataset.Load(folder).Split("val").ToList();
        using var saved = ColourCategoryClassifier.Load(store, refitted.Manifest);
        var category = Evaluator.EvaluateFolder(saved, val).Evaluations.Single(e => e.Task == "category");
        Assert.True(category.Accuracy > 0.7, $"the refitted heads scored {category.Accuracy:F2} on the val photos they were fitted on");
        Assert.Contains("train + val", File.ReadAllText(Path.Combine(store.FolderOf(refitted.Manifest.Version), "MODEL_CARD.md")));
    }

    [Fact]
    public void Inference_sees_the_same_pixels_and_answers_as_training_evaluation()
    {
        using var data = new TempFolder();
        using var models = new TempFolder();
        var store = new ModelStore(models.Path);
        var manifest = ModelStoreTests.SaveUntrained(store, "parity");
        var dataset = LabelledDataset.Load(SyntheticDataset.Write(data, perClassPair: 2));

        // Training and evaluation prepare through PreparedSet; the silo and `vitrina predict` through ImagePreparation.
        var set = PreparedSet.Prepare(dataset.Images, manifest.Preparation);
        using var classifier = ColourCategoryClassifier.LoadCurrent(store);
        var batched = classifier.Classify(set.Images);
        for (var i = 0; i < set.Count; i++)
        {
            var direct = ImagePreparation.Prepare(File.ReadAllBytes(set.Rows[i].Path), manifest.Preparation);
            Assert.Equal(set.Images[i].Pixels, direct.Pixels);
            var single = classifier.Classify([direct])[0];
            Assert.Equal(batched[i].Colour, single.Colour);
            Assert.Equal(batched[i].Category, single.Category);
            Assert.Equal(batched[i].ColourProbability, single.ColourProbability, tolerance: 1e-4f);
        }
    }

    [Fact]
    public void Paper_trainer_runs_end_to_end_and_skips_unreadable_photos()
    {
        using var data = new TempFolder();
        using var models = new TempFolder();
        var folder = SyntheticDataset.Write(data, perClassPair: 3);
        File.WriteAllText(Path.Combine(folder, "images", "0000.jpg"), "not a jpeg");
        var options = new TrainingOptions { DataFolder = folder, Epochs = 2, StepsPerEpoch = 2, ColourThreshold = 1, CategoryThreshold = 1 };

        var run = PaperTrainer.Train(options, new ModelStore(models.Path));

        Assert.Equal(2, run.Histories[0].Epochs.Count);
        Assert.Contains(run.Skipped, s => s.Path.EndsWith("0000.jpg") && s.Reason.Contains("not an image"));
        Assert.Equal("paper", run.Manifest.Architecture);
    }
}
