using Vitrina.Silos;
using Vitrina.Tests.Cluster;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Silos;

/// <summary>
/// The roster of a heterogeneous cluster: every silo reports its role, device and totals, and a silo that leaves is
/// dropped from the list.
/// </summary>
public sealed class SiloRosterTests
{
    private static async Task<IReadOnlyList<SiloActivity>> WaitFor(
        VitrinaTestCluster cluster, Func<IReadOnlyList<SiloActivity>, bool> condition, string what)
    {
        var roster = cluster.Client.GetGrain<ISiloRosterGrain>(0);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<SiloActivity> silos;
        while (!condition(silos = await roster.List()))
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"waited 30 s for {what}; the roster lists: {string.Join("; ", silos.Select(s => $"{s.Address} {string.Join(',', s.Roles)} classified {s.Classified} finished {s.ImagesFinished}"))}");
            await Task.Delay(250);
        }

        return silos;
    }

    [Fact]
    public async Task Every_silo_shows_its_role_device_and_work_and_a_stopped_silo_leaves_the_list()
    {
        await using var database = new TestDatabase();
        using var folders = new TempFolder();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path,
            silos: [RolePlacementTests.Ingest, RolePlacementTests.CpuClassifier, RolePlacementTests.GpuClassifier]);

        await RolePlacementTests.IngestPhotos(cluster, folders, 12);

        // Reports are totals read every 2 s: wait for the round that follows the poll.
        var silos = await WaitFor(cluster, s => s.Count == 3 && s.Sum(x => x.ImagesFinished) == 12 && s.Sum(x => x.Classified) == 12, "3 silos with 12 photos");
        var ingest = Assert.Single(silos, s => s.Roles.Contains("ingest"));
        var cpu = Assert.Single(silos, s => s.Roles.SequenceEqual(["classify"]) && s.Device == "cpu");
        var gpu = Assert.Single(silos, s => s.Device == "cuda (NVIDIA H100 80GB HBM3, 81559 MiB)");
        Assert.All(silos, s => Assert.Equal("Active", s.Status));
        Assert.Equal(12, ingest.ImagesFinished); // image grains run where their account grain does
        Assert.Null(ingest.Model); // nothing classifies there, so no model is loaded
        Assert.Equal((0, 12), (cpu.Classified, gpu.Classified)); // classifiers prefer the GPU silo
        Assert.Equal(("untrained", "untrained"), (cpu.Model, gpu.Model));
        // What each computes on: the silo marked gpu=true has no CUDA here, and says that its model runs on the CPU.
        Assert.Null(ingest.ServedOn);
        Assert.Equal("cpu float32", cpu.ServedOn);
        Assert.Equal(TorchSharp.torch.cuda.is_available() ? "cuda float16" : "cpu float32", gpu.ServedOn);
        Assert.All(silos, s => Assert.True(s.WorkingSetMiB > 0));
        Assert.All(silos, s => Assert.True(s.FetchMemoryMiB >= 64, $"{s.Name} reports {s.FetchMemoryMiB} MiB of fetch memory"));

        await cluster.StopSilo(1);

        silos = await WaitFor(cluster, s => s.Count == 2, "the stopped silo to leave");
        Assert.DoesNotContain(silos, s => s.Address == cpu.Address);
        Assert.Contains(silos, s => s.Address == gpu.Address);
    }
}
