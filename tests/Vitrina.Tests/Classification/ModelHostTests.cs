using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vitrina.Classification;
using Vitrina.Grains.Classification;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training;
using Vitrina.Training.Images;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Classification;

public sealed class ModelHostTests
{
    private static ModelHost Host(string store, int queue = 4096, TimeSpan? wait = null) => new(
        Options.Create(new ClassifierOptions
        {
            ModelStore = store, MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromMilliseconds(1), MaxQueueLength = queue,
            MaxQueueWait = wait ?? TimeSpan.FromMinutes(1), ModelCheckInterval = TimeSpan.Zero,
        }),
        NullLogger<ModelHost>.Instance);

    private static ClassifyRequest Photo(int seed, int size = 160, string resize = nameof(ResizeMode.Stretch))
    {
        var pixels = new byte[size * size * 3];
        new Random(seed).NextBytes(pixels);
        return new ClassifyRequest(size, size, pixels, resize);
    }

    /// <summary>Prepares the photo for the input the host reports and prepares it again when the model changed meanwhile.</summary>
    private static async Task<ClassificationResult> ClassifyAsImageGrainsDo(ModelHost host, int seed)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await host.Classify(Photo(seed, (await host.Info()).InputSize));
            }
            catch (ModelChangedException) when (attempt < 3)
            {
            }
        }
    }

    [Fact]
    public void A_full_queue_refuses_with_a_retryable_error()
    {
        using var folder = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(folder.Path), "v1");
        using var host = Host(folder.Path, queue: 1); // not started: nothing drains the queue
        var first = host.Classify(Photo(1));
        var e = Assert.Throws<ClassifierQueueFullException>(() => { _ = host.Classify(Photo(2)); });
        Assert.Contains("retry", e.Message);
        Assert.False(first.IsCompleted);
    }

    [Fact]
    public async Task A_request_cancelled_while_it_waits_in_the_queue_is_dropped_without_being_classified()
    {
        using var folder = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(folder.Path), "v1");
        using var host = Host(folder.Path); // not started yet: the requests wait in the queue
        using var gaveUp = new CancellationTokenSource();
        var kept = host.Classify(Photo(1));
        var abandoned = host.Classify(Photo(2), gaveUp.Token);
        var alsoKept = host.Classify(Photo(3));
        gaveUp.Cancel();
        await host.StartAsync(CancellationToken.None);

        await Task.WhenAll(kept, alsoKept);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.Equal(2, host.Classified);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_backlog_metric_counts_photos_waiting_for_a_batch_until_they_are_taken()
    {
        using var folder = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(folder.Path), "v1");
        using var metrics = new RecordedMetrics(ClassifierMetrics.Meter);
        using var host = Host(folder.Path); // not started yet: the requests wait in the queue

        var calls = Enumerable.Range(1, 5).Select(i => host.Classify(Photo(i))).ToList();
        Assert.Equal(5, metrics.Sum("vitrina.classifier.queued"));
        await host.StartAsync(CancellationToken.None);
        await Task.WhenAll(calls);

        Assert.Equal(0, metrics.Sum("vitrina.classifier.queued"));
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_stopped_classifier_refuses_with_a_retryable_error_of_its_own()
    {
        using var folder = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(folder.Path), "v1");
        using var host = Host(folder.Path);
        await host.StartAsync(CancellationToken.None);
        Assert.Equal("v1", (await host.Classify(Photo(1))).ModelVersion);
        await host.StopAsync(CancellationToken.None);

        var e = Assert.Throws<ClassifierStoppingException>(() => { _ = host.Classify(Photo(2)); });
        Assert.Contains("retry", e.Message);
    }

    [Fact]
    public async Task Requests_beyond_the_wait_limit_are_refused_also_when_they_arrive_before_the_rate_is_known()
    {
        using var folder = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(folder.Path), "v1");
        using var host = Host(folder.Path, wait: TimeSpan.FromMilliseconds(1)); // far less than one batch takes
        await host.StartAsync(CancellationToken.None);

        // Sent at once, while the host still loads its model and measures its rate.
        var calls = Enumerable.Range(1, 200).Select(i =>
        {
            try
            {
                return host.Classify(Photo(i));
            }
            catch (ClassifierQueueFullException e)
            {
                return Task.FromException<ClassificationResult>(e);
            }
        }).ToList();
        await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default)));

        var refused = calls.Where(c => c.IsFaulted).Select(c => c.Exception!.InnerException).ToList();
        Assert.InRange(refused.Count, 1, 200 - 16); // two batches (16) always fit
        Assert.All(refused, e => Assert.IsType<ClassifierQueueFullException>(e));
        Assert.Contains("photos/s", refused[0]!.Message);
        Assert.All(calls.Where(c => !c.IsFaulted), c => Assert.True(c.IsCompletedSuccessfully));
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Switching_model_versions_under_load_loses_no_request()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path);
        ModelStoreTests.SaveUntrained(store, "v1");
        ModelStoreTests.SaveUntrained(store, "v2");
        store.SetCurrent("v1");
        using var host = Host(folder.Path);
        await host.StartAsync(CancellationToken.None);

        var requests = new List<Task<ClassificationResult>>();
        for (var i = 0; i < 120; i++)
        {
            requests.Add(host.Classify(Photo(i)));
            if (i == 40)
            {
                await requests[0];
                store.SetCurrent("v2");
            }

            if (i % 10 == 0)
            {
                await Task.Delay(5);
            }
        }

        var results = await Task.WhenAll(requests);
        Assert.Equal(120, results.Length);
        Assert.Equal("v1", results[0].ModelVersion);
        Assert.Equal("v2", results[^1].ModelVersion);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_model_that_fails_to_load_leaves_the_previous_one_serving()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path);
        ModelStoreTests.SaveUntrained(store, "good");
        ModelStoreTests.SaveUntrained(store, "broken");
        File.WriteAllText(Path.Combine(store.FolderOf("broken"), "category-head.weights"), "not weights");
        store.SetCurrent("good");
        using var host = Host(folder.Path);
        await host.StartAsync(CancellationToken.None);
        Assert.Equal("good", (await host.Classify(Photo(1))).ModelVersion);

        store.SetCurrent("broken");
        var after = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => host.Classify(Photo(i))));
        Assert.All(after, r => Assert.Equal("good", r.ModelVersion));
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_current_version_this_build_cannot_serve_gives_way_at_start_up_to_the_newest_that_loads()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path);
        ModelStoreTests.SaveUntrained(store, "older");
        ModelStoreTests.SaveUntrained(store, "retired");
        ModelStoreTests.Retire(store, "retired");
        store.SetCurrent("retired");
        using var host = Host(folder.Path);
        await host.StartAsync(CancellationToken.None);

        Assert.Equal("older", (await host.Classify(Photo(1))).ModelVersion);
        Assert.Equal("retired", store.CurrentVersion()); // the operator's choice stays theirs to change
        Assert.Equal("retired", host.RefusedVersion);

        store.SetCurrent("older");
        Assert.Equal("older", (await host.Classify(Photo(2))).ModelVersion);
        Assert.Null(host.RefusedVersion);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task With_nothing_it_can_serve_the_host_stays_up_and_fails_requests_saying_why()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path, ModelStore.ShippedRoot);
        ModelStoreTests.SaveUntrained(store, "retired");
        foreach (var version in store.List().Select(m => m.Version))
        {
            ModelStoreTests.Retire(store, version); // the shipped model too, the host's fallback of last resort
        }

        using var host = Host(folder.Path);
        await host.StartAsync(CancellationToken.None);

        var e = await Assert.ThrowsAsync<ModelUnavailableException>(() => host.Classify(Photo(1)));
        Assert.Contains("retired", e.Message);
        Assert.Contains("cannot serve", e.Message);
        Assert.False(host.Loaded);
        Assert.Contains("retired", host.NothingToServe); // what /readyz answers, with status no-model

        ModelStoreTests.SaveUntrained(store, "fresh"); // a version that loads is picked up by the next request
        Assert.Equal("fresh", (await host.Classify(Photo(2))).ModelVersion);
        Assert.Null(host.NothingToServe);
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_version_with_another_input_size_is_served_after_the_switch()
    {
        using var folder = new TempFolder();
        var store = new ModelStore(folder.Path);
        ModelStoreTests.SaveUntrained(store, "garment");
        ModelStoreTests.SaveUntrained(store, ModelStoreTests.PaperManifest("paper"));
        store.SetCurrent("garment");
        using var host = Host(folder.Path);
        await host.StartAsync(CancellationToken.None);
        // More photos than the host's reusable batch buffers hold at once, so buffers of the old size are taken back.
        var before = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => host.Classify(Photo(i))));

        store.SetCurrent("paper");
        var after = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => ClassifyAsImageGrainsDo(host, i)));

        Assert.All(before, r => Assert.Equal("garment", r.ModelVersion));
        Assert.All(after, r => Assert.Equal("paper", r.ModelVersion));
        Assert.All(after, r => Assert.Contains(r.Colour, Taxonomy.Paper.Colours));
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_photo_prepared_for_another_input_is_sent_back_and_its_batch_is_served()
    {
        using var folder = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(folder.Path), "garment");
        using var host = Host(folder.Path);
        await host.StartAsync(CancellationToken.None);

        // Photos prepared for a paper model (150 px) or padded instead of stretched, mixed into the same batches as
        // photos prepared for the 160 px model in service.
        var fitting = Enumerable.Range(0, 12).Select(i => host.Classify(Photo(i))).ToList();
        var otherSize = host.Classify(Photo(100, size: 150));
        var otherMode = host.Classify(Photo(101, resize: nameof(ResizeMode.Pad)));

        Assert.All(await Task.WhenAll(fitting), r => Assert.Equal("garment", r.ModelVersion));
        var size = await Assert.ThrowsAsync<ModelChangedException>(() => otherSize);
        Assert.Contains("160x160", size.Message);
        await Assert.ThrowsAsync<ModelChangedException>(() => otherMode);
        await host.StopAsync(CancellationToken.None);
    }
}
