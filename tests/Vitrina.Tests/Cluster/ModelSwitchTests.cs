using Microsoft.Extensions.DependencyInjection;
using Vitrina.Accounts;
using Vitrina.Catalogue;
using Vitrina.Grains.Images;
using Vitrina.Images;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cluster;

public sealed class ModelSwitchTests
{
    [Fact]
    public async Task Photos_prepared_for_the_previous_model_are_prepared_again_when_a_version_with_another_input_takes_over()
    {
        await using var database = new TestDatabase();
        using var folders = new TempFolder();
        using var models = new TempFolder();
        var store = new ModelStore(models.Path);
        ModelStoreTests.SaveUntrained(store, ModelStoreTests.PaperManifest("paper"));
        ModelStoreTests.SaveUntrained(store, "garment");
        var shop = Directory.CreateDirectory(folders.Combine("shop")).FullName;
        WritePhotos(shop, 0, 8);

        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, new Dictionary<string, string?>
        {
            ["Vitrina:Classifier:ModelCheckInterval"] = "00:00:00",
        });
        var account = cluster.Client.GetGrain<IAccountGrain>("shop");
        await account.Onboard(new AccountSource(AccountSource.Folder, shop));
        await account.Poll(); // waits for the first poll, which onboarding started

        // The ingest silo now knows the 160 px garment model; the 150 px paper model takes over before the next poll.
        store.SetCurrent("paper");
        WritePhotos(shop, 8, 16);
        Assert.Equal(16, (await account.Poll()).NewPosts);

        var rows = await cluster.Client.GetGrain<ICatalogueGrain>(0).List(new CatalogueQuery { Account = "shop" });
        Assert.Equal(24, rows.Count);
        Assert.All(rows, r => Assert.NotEqual(ImageStatus.Failed, r.Status));
        Assert.Equal(8, rows.Count(r => r.ModelVersion == "garment"));
        Assert.Equal(16, rows.Count(r => r.ModelVersion == "paper"));
        // Through the path this test is for: photos prepared for the garment model, refused, and prepared again (not
        // an input cache that had aged out on its own before the second poll).
        Assert.True(cluster.SiloServices().GetRequiredService<ImageMetrics>().PreparedAgainCount > 0, "no photo was prepared again");
    }

    private static void WritePhotos(string folder, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            CatalogueFlowTests.WritePost(folder, $"p{i:D3}", TestImages.Colours.Keys.ElementAt(i % TestImages.Colours.Count), i % 2, sideCar: false);
        }
    }
}
