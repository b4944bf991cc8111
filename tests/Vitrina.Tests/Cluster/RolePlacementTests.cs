using Vitrina.Accounts;
using Vitrina.Classification;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Placement;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cluster;

/// <summary>Heterogeneous silos: grains go only where their role runs, and classifiers prefer GPU silos.</summary>
public sealed class RolePlacementTests
{
    internal static readonly SiloDescription Ingest = new([SiloRoles.Ingest, SiloRoles.Catalogue], Gpu: false, "cpu", 0);
    internal static readonly SiloDescription CpuClassifier = new([SiloRoles.Classify], Gpu: false, "cpu", 0);
    internal static readonly SiloDescription GpuClassifier = SiloDescription.Describe(
        [SiloRoles.Classify], gpu: true, new NvidiaGpu("NVIDIA H100 80GB HBM3", 81559), memoryMiB: 0);

    internal static async Task IngestPhotos(VitrinaTestCluster cluster, TempFolder folders, int count)
    {
        var shop = await WritePhotos(folders, from: 0, count);
        var account = cluster.Client.GetGrain<IAccountGrain>("shop");
        await account.Onboard(new AccountSource(AccountSource.Folder, shop));
        await account.Poll();
    }

    /// <summary>Photos p{from}... in the shop's folder, for its next poll; returns the folder.</summary>
    private static async Task<string> WritePhotos(TempFolder folders, int from, int count)
    {
        var shop = Directory.CreateDirectory(folders.Combine("shop")).FullName;
        for (var i = from; i < from + count; i++)
        {
            using var image = TestImages.Garment(TestImages.Colours["Blue"], i % 2, seed: i);
            await File.WriteAllBytesAsync(Path.Combine(shop, $"p{i}.jpg"), TestImages.Jpeg(image));
        }

        return shop;
    }

    [Fact]
    public async Task Classifiers_run_only_on_classify_silos_and_prefer_the_gpu_one()
    {
        await using var database = new TestDatabase();
        using var folders = new TempFolder();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, silos: [Ingest, CpuClassifier, GpuClassifier]);

        await IngestPhotos(cluster, folders, 12);

        Assert.Equal(12, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
        Assert.Equal(0, cluster.ModelHost(0).Classified); // ingest silo: no classify role
        Assert.Equal(0, cluster.ModelHost(1).Classified); // CPU classify silo: a GPU silo exists
        Assert.Equal(12, cluster.ModelHost(2).Classified);
        Assert.False(cluster.ModelHost(0).Loaded); // the model is never even loaded where nothing classifies
    }

    [Fact]
    public async Task Without_gpu_silos_classifiers_spread_over_the_cpu_classify_silos()
    {
        await using var database = new TestDatabase();
        using var folders = new TempFolder();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, silos: [Ingest, CpuClassifier]);

        await IngestPhotos(cluster, folders, 6);

        Assert.Equal(6, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
        Assert.Equal(0, cluster.ModelHost(0).Classified);
        Assert.Equal(6, cluster.ModelHost(1).Classified);
    }

    [Fact]
    public async Task A_gpu_silo_that_joins_later_takes_over_the_classifiers_from_the_cpu_silo()
    {
        await using var database = new TestDatabase();
        using var folders = new TempFolder();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, silos: [Ingest, CpuClassifier, GpuClassifier], startNow: 2);
        await IngestPhotos(cluster, folders, 6);
        Assert.Equal(6, cluster.ModelHost(1).Classified);
        // Every classifier of the pool active on the CPU silo: without making way, all later photos would stay there.
        await Task.WhenAll(Enumerable.Range(0, new ClassifierOptions().Activations).Select(slot => cluster.Client.GetGrain<IClassifierGrain>(slot).GetModel()));

        await cluster.StartNextSilo();
        // Classifiers on the CPU silo look for a GPU silo every 10 s, and the callers' silos learn the new silo's metadata
        // within seconds: from some poll on, every new photo is classified on the GPU silo, and none on the CPU one again.
        var account = cluster.Client.GetGrain<IAccountGrain>("shop");
        var (photos, moved) = (6, false);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!moved && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(TimeSpan.FromSeconds(4));
            var before = cluster.ModelHost(1).Classified;
            await WritePhotos(folders, from: photos, count: 4);
            photos += 4;
            await account.Poll();
            moved = cluster.ModelHost(1).Classified == before;
        }

        Assert.True(moved, $"after 60 s the CPU silo still classified ({cluster.ModelHost(1).Classified} photos)");
        Assert.Equal(photos, await database.Scalar("SELECT count(*) FROM \"{schema}\".items"));
        Assert.Equal(photos, cluster.ModelHost(1).Classified + cluster.ModelHost(2).Classified);
        Assert.True(cluster.ModelHost(2).Classified >= 4);
    }
}

