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

public sealed class FetchMemoryClusterTests
{
    private const int Accounts = 3;
    private const int PostsPerAccount = 6;

    [Fact]
    public async Task A_silo_whose_fetch_memory_holds_two_photos_catalogues_every_photo_of_every_account_once()
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
                File.WriteAllBytes(Path.Combine(shop, $"p{a}_{p}.jpg"), NoisePhoto(seed: a * 100 + p));
            }

            return shop;
        }).ToList();
        var largest = shops.SelectMany(Directory.GetFiles).Max(f => new FileInfo(f).Length);
        Assert.True(largest > 350_000, $"the photos ({largest} bytes at most) are too small for three to fill a megabyte");

        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, new Dictionary<string, string?>
        {
            ["Vitrina:Images:FetchMemoryMegabytes"] = "1",
            ["Vitrina:Accounts:ImageConcurrency"] = "6",
        });
        var accounts = shops.Select(s => cluster.Client.GetGrain<IAccountGrain>(Path.GetFileName(s))).ToList();
        await Task.WhenAll(accounts.Zip(shops, (a, s) => a.Onboard(new AccountSource(AccountSource.Folder, s))));
        var polls = await Task.WhenAll(accounts.Select(a => a.Poll()));

        Assert.All(polls, p => Assert.Null(p.Error));
        var silo = cluster.SiloServices();
        Assert.True(silo.GetRequiredService<ImageMetrics>().FetchMemoryWaitCount > 0, "no fetch waited: the test did not fill the fetch memory");
        Assert.Equal(0, silo.GetRequiredService<FetchMemory>().Held); // every photo gave its share back
        Assert.Equal(Accounts * PostsPerAccount, await database.Scalar("SELECT count(*) FROM \"{schema}\".items WHERE status <> 'Failed'"));
        foreach (var account in accounts)
        {
            var status = await account.GetStatus();
            Assert.Null(status.LastError);
            Assert.Equal(PostsPerAccount, status.ImagesSubmitted);
        }
    }

    /// <summary>A 600 px JPEG of noise at quality 95, which compresses badly: about 400-500 kB.</summary>
    private static byte[] NoisePhoto(int seed)
    {
        var random = new Random(seed);
        using var image = new Image<Rgb24>(600, 600);
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
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 95 });
        return stream.ToArray();
    }
}
