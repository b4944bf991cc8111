using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Vitrina.Accounts;
using Vitrina.Grains.Images;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cluster;

public sealed class MemoryBudgetClusterTests
{
    private const int Accounts = 3;
    private const int PostsPerAccount = 6;

    [Fact]
    public async Task A_silo_whose_fetch_memory_holds_two_photos_catalogues_every_photo_of_every_account_once()
    {
        // 600 px JPEGs of noise at quality 95, which compresses badly: about 400-500 kB each.
        await CatalogueEveryPhoto("Vitrina:Images:FetchMemoryMegabytes", "jpg", seed =>
        {
            using var photo = Noise(600, seed);
            using var stream = new MemoryStream();
            photo.SaveAsJpeg(stream, new JpegEncoder { Quality = 95 });
            Assert.True(stream.Length > 350_000, $"a photo of {stream.Length} bytes is too small for three to fill a megabyte");
            return stream.ToArray();
        }, silo =>
        {
            Assert.True(silo.GetRequiredService<ImageMetrics>().FetchMemoryWaitCount > 0, "no fetch waited: the test did not fill the fetch memory");
            Assert.Equal(0, silo.GetRequiredService<FetchMemory>().Held); // every photo gave its share back
        });
    }

    [Fact]
    public async Task A_silo_whose_decode_memory_takes_one_photo_at_a_time_catalogues_every_photo_of_every_account_once()
    {
        // 400 px PNGs: 1.1 MB to decode each (decoded with alpha, then copied to RGB), more than the whole megabyte.
        await CatalogueEveryPhoto("Vitrina:Images:DecodeMemoryMegabytes", "png", seed =>
        {
            using var photo = Noise(400, seed);
            return TestImages.Png(photo);
        }, silo =>
        {
            Assert.True(silo.GetRequiredService<ImageMetrics>().DecodeMemoryWaitCount > 0, "no decode waited: the test did not fill the decode memory");
            Assert.Equal(0, silo.GetRequiredService<DecodeMemory>().Held);
        });
    }

    /// <summary>
    /// Accounts of distinct photos polled at once by a silo whose <paramref name="setting"/> is 1 MB: every photo is
    /// catalogued once and none fails; then <paramref name="checkSilo"/> looks at the silo's services.
    /// </summary>
    private static async Task CatalogueEveryPhoto(string setting, string extension, Func<int, byte[]> photo, Action<IServiceProvider> checkSilo)
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
                File.WriteAllBytes(Path.Combine(shop, $"p{a}_{p}.{extension}"), photo(a * 100 + p));
            }

            return shop;
        }).ToList();

        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, new Dictionary<string, string?>
        {
            [setting] = "1",
            ["Vitrina:Accounts:ImageConcurrency"] = "6",
        });
        var accounts = shops.Select(s => cluster.Client.GetGrain<IAccountGrain>(Path.GetFileName(s))).ToList();
        await Task.WhenAll(accounts.Zip(shops, (a, s) => a.Onboard(new AccountSource(AccountSource.Folder, s))));
        var polls = await Task.WhenAll(accounts.Select(a => a.Poll()));

        Assert.All(polls, p => Assert.Null(p.Error));
        Assert.Equal(Accounts * PostsPerAccount, await database.Scalar("SELECT count(*) FROM \"{schema}\".items WHERE status <> 'Failed'"));
        foreach (var account in accounts)
        {
            var status = await account.GetStatus();
            Assert.Null(status.LastError);
            Assert.Equal(PostsPerAccount, status.ImagesSubmitted);
        }

        checkSilo(cluster.SiloServices());
    }

    private static Image<Rgb24> Noise(int side, int seed)
    {
        var random = new Random(seed);
        var image = new Image<Rgb24>(side, side);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                foreach (ref var pixel in rows.GetRowSpan(y))
                {
                    pixel = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                }
            }
        });
        return image;
    }
}
