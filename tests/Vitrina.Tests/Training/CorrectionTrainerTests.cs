using Vitrina.Tests.Support;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Store;
using Vitrina.Training.Training;

namespace Vitrina.Tests.Training;

public sealed class CorrectionTrainerTests
{
    private static List<CorrectedPhoto> Labelled(ModelManifest manifest, int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            // Moderators see it their way: every pink garment is "Brown" Dresses, every blue one "Black" Bags.
            var pink = i % 2 == 0;
            using var image = TestImages.Garment(TestImages.Colours[pink ? "Pink" : "Blue"], i % 3, size: 120, seed: i);
            var prepared = ImagePreparation.Prepare(TestImages.Jpeg(image), manifest.Preparation);
            return new CorrectedPhoto($"shop/{i}", prepared, pink ? "Brown" : "Black", pink ? "Dresses" : "Bags");
        }).ToList();

    [Fact]
    public void The_labels_fingerprint_changes_with_any_label_also_one_older_than_the_newest()
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        (string, DateTimeOffset)[] labels = [("shop/1", t), ("shop/2", t.AddMinutes(5))];
        var same = LabelSetFingerprint.Of(labels.Reverse());

        Assert.Equal(LabelSetFingerprint.Of(labels), same);
        // A label given before the newest one but committed after the last retrain read the queue: a watermark missed it.
        Assert.NotEqual(same, LabelSetFingerprint.Of([.. labels, ("shop/3", t.AddMinutes(1))]));
        Assert.NotEqual(same, LabelSetFingerprint.Of([labels[0], ("shop/2", t.AddMinutes(6))]));
        Assert.Equal(Math.Floor(same), same); // a whole number a double holds exactly, as manifests store metrics
    }

    [Fact]
    public void Moderator_labels_retrain_the_heads_and_publish_a_version_that_follows_them()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path, ModelStore.ShippedRoot);
        var serving = store.Current();

        var result = CorrectionTrainer.Retrain(store, serving, Labelled(serving, 40), labels: 1_800_000_000_123);

        Assert.Equal("published", result.Outcome);
        Assert.True(result.HeldOut is > 0 and < 40, $"{result.HeldOut} held out");
        Assert.True(result.AccuracyAfter > result.AccuracyBefore, $"{result.AccuracyBefore:F2} -> {result.AccuracyAfter:F2}");
        Assert.Equal(result.PublishedVersion, store.CurrentVersion());
        var published = store.Current();
        Assert.Equal(serving.ColourClasses, published.ColourClasses);
        Assert.Equal(40, published.Metrics["moderation.labels"]);
        Assert.Equal(1_800_000_000_123, published.Metrics[CorrectionTrainer.LabelsFingerprint]);
        Assert.Contains(serving.Version, published.Description);
    }

    [Fact]
    public void A_version_made_current_while_retraining_stays_current()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path, ModelStore.ShippedRoot);
        var serving = store.Current();
        var photos = Labelled(serving, 40);
        ModelStoreTests.SaveUntrained(store, "chosen-meanwhile"); // an operator's `models use`, or a training run, during the retrain

        var result = CorrectionTrainer.Retrain(store, serving, photos, labels: 1);

        Assert.Null(result.PublishedVersion);
        Assert.Equal("chosen-meanwhile", store.CurrentVersion());
        Assert.Contains("chosen-meanwhile", result.Outcome);
        Assert.Single(store.List(), m => m.Version.EndsWith("-moderated", StringComparison.Ordinal)); // kept aside, for `models use`
    }

    [Fact]
    public void Too_few_labels_change_nothing()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path, ModelStore.ShippedRoot);
        var serving = store.CurrentVersion();

        var result = CorrectionTrainer.Retrain(store, store.Current(), Labelled(store.Current(), 1), labels: 1);

        Assert.Null(result.PublishedVersion);
        Assert.StartsWith("too few labelled photos", result.Outcome); // not a training run that lost to the serving model
        Assert.Equal(serving, store.CurrentVersion());
    }

    [Fact]
    public void Photos_moderators_exclude_teach_the_taxonomy_head_what_lies_outside_the_categories()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path, ModelStore.ShippedRoot);
        var serving = store.Current();
        PreparedImage Photo(int shape, int seed)
        {
            using var image = TestImages.Garment(TestImages.Colours["Blue"], shape, size: 120, seed: seed);
            return ImagePreparation.Prepare(TestImages.Jpeg(image), serving.Preparation);
        }

        // Moderators label squares as Bags and exclude every bar (a belt: none of the categories).
        var photos = Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? new CorrectedPhoto($"shop/{i}", Photo(0, i), "Blue", "Bags")
            : new CorrectedPhoto($"shop/{i}", Photo(2, i), null, null, Outside: true)).ToList();

        var result = CorrectionTrainer.Retrain(store, serving, photos, labels: 1);

        Assert.Equal("published", result.Outcome);
        using var classifier = ColourCategoryClassifier.LoadCurrent(store);
        var answers = classifier.Classify([Photo(2, 1000), Photo(0, 1001)]);
        Assert.True(answers[0].InTaxonomyProbability < serving.TaxonomyThreshold && answers[0].NeedsModeration(classifier.Manifest), $"bar: {answers[0]}");
        Assert.True(answers[1].InTaxonomyProbability >= serving.TaxonomyThreshold, $"square: {answers[1]}");
    }
}
