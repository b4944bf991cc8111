using Vitrina.Classification;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cluster;

public sealed class ClassifierBatchingTests
{
    [Fact]
    public async Task Concurrent_requests_are_batched_and_answer_as_one_by_one_classification_does()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        var store = new ModelStore(models.Path);
        var manifest = ModelStoreTests.SaveUntrained(store, "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, new Dictionary<string, string?>
        {
            ["Vitrina:Classifier:MaxQueueDelay"] = "00:00:00.200",
            ["Vitrina:Classifier:MaxBatchSize"] = "16",
        });

        var photos = Enumerable.Range(0, 32).Select(i =>
        {
            var colour = TestImages.Colours.Keys.ElementAt(i % 4);
            using var image = TestImages.Garment(TestImages.Colours[colour], i % 2, seed: i);
            return ImagePreparation.Prepare(TestImages.Jpeg(image), manifest.Preparation);
        }).ToList();

        var classifier = cluster.Client.GetGrain<IClassifierGrain>(0);
        await classifier.GetModel(); // the model is loaded before the burst
        var results = await Task.WhenAll(photos.Select(p => classifier.Classify(new ClassifyRequest(p.Width, p.Height, p.Pixels, manifest.Preparation.Resize.ToString()))));

        Assert.True(cluster.ModelHost().LargestBatch > 1, $"largest batch was {cluster.ModelHost().LargestBatch}");
        using var local = ColourCategoryClassifier.LoadCurrent(store);
        for (var i = 0; i < photos.Count; i++)
        {
            var single = local.Classify([photos[i]])[0];
            Assert.Equal(single.Colour, results[i].Colour);
            Assert.Equal(single.Category, results[i].Category);
            Assert.Equal(single.ColourProbability, results[i].ColourProbability, tolerance: 1e-4f);
            Assert.Equal("untrained", results[i].ModelVersion);
        }
    }
}
