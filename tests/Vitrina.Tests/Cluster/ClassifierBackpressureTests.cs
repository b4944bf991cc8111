using Microsoft.Extensions.DependencyInjection;
using Vitrina.Accounts;
using Vitrina.Grains.Images;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cluster;

public sealed class ClassifierBackpressureTests
{
    private const int Accounts = 3;
    private const int PostsPerAccount = 8;

    [Fact]
    public async Task Photos_a_full_classifier_queue_hands_back_are_submitted_again_within_the_poll_and_filed_once()
    {
        await using var database = new TestDatabase();
        using var folders = new TempFolder();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        var shops = Enumerable.Range(0, Accounts).Select(a =>
        {
            var shop = Directory.CreateDirectory(folders.Combine($"shop_{a}")).FullName;
            for (var p = 0; p < PostsPerAccount; p++)
            {
                CatalogueFlowTests.WritePost(shop, $"p{a}_{p}", TestImages.Colours.Keys.ElementAt(p % 4), p % 2);
            }

            return shop;
        }).ToList();

        // A queue of one photo that waits 200 ms for a second that can never join it: five photos a second, against
        // 24 in flight, so image grains exhaust their retries and hand photos back to their accounts.
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, new Dictionary<string, string?>
        {
            ["Vitrina:Classifier:MaxBatchSize"] = "2",
            ["Vitrina:Classifier:MaxQueueLength"] = "1",
            ["Vitrina:Classifier:MaxQueueDelay"] = "00:00:00.200",
            ["Vitrina:Accounts:ImageConcurrency"] = "8",
        });
        var accounts = shops.Select(s => cluster.Client.GetGrain<IAccountGrain>(Path.GetFileName(s))).ToList();
        await Task.WhenAll(accounts.Zip(shops, (a, s) => a.Onboard(new AccountSource(AccountSource.Folder, s))));
        var polls = await Task.WhenAll(accounts.Select(a => a.Poll()));

        Assert.All(polls, p => Assert.Null(p.Error));
        Assert.True(cluster.SiloServices().GetRequiredService<ImageMetrics>().HandedBackCount > 0, "no photo was handed back: the test did not load the classifier");
        Assert.Equal(Accounts * PostsPerAccount, await database.Scalar("SELECT count(*) FROM \"{schema}\".items WHERE status <> 'Failed'"));
        foreach (var account in accounts)
        {
            var status = await account.GetStatus();
            Assert.Null(status.LastError);
            Assert.Equal(AccountState.Active, status.State);
            Assert.Equal(PostsPerAccount, status.PostsSeen);
            Assert.Equal(PostsPerAccount, status.ImagesSubmitted); // counted once, however often submitted
        }
    }
}
