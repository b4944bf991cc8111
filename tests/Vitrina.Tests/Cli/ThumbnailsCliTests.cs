using System.Text.Json;
using SixLabors.ImageSharp;
using Vitrina.Catalogue;
using Vitrina.ClusterHarness;
using Vitrina.Images;
using Vitrina.Tests.Cluster;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;
using ClusterConnection = Vitrina.Client.Commands.Cluster;

namespace Vitrina.Tests.Cli;

/// <summary><c>vitrina catalogue thumbnails</c> against a real single-node silo process.</summary>
[Collection(nameof(ProcessClusterCollection))]
public sealed class ThumbnailsCliTests
{
    [Fact]
    public async Task Photos_filed_without_a_thumbnail_get_one_and_those_that_cannot_are_named_and_retried()
    {
        using var work = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(work.Combine("models")), "untrained");
        var photos = Directory.CreateDirectory(work.Combine("photos")).FullName;
        using (var wide = TestImages.Garment(TestImages.Colours["Pink"], 1, size: 400))
        {
            File.WriteAllBytes(Path.Combine(photos, "a.jpg"), TestImages.Jpeg(wide));
            File.WriteAllBytes(Path.Combine(photos, "b.png"), TestImages.Png(wide));
        }

        File.WriteAllText(Path.Combine(photos, "d.jpg"), "not a photo");
        CatalogueItem Row(string name, ImageStatus status) => ModeratorLabelTests.Filed($"shop/{name}", status, "Pink", "Dresses") with
        {
            Source = new Uri(Path.Combine(photos, name)).AbsoluteUri,
        };

        var gateway = FreePorts.Next();
        await using var silo = await AccountsCliTests.StartSilo(work, gateway);
        // As a catalogue filed before thumbnails were kept: rows without one (c.jpg is gone from the shop's folder), a
        // failure and a photo withdrawn from the shop, which need none, and a row that has one.
        Assert.Equal(0, await ClusterConnection.Run(gateway, async client =>
        {
            var catalogue = client.GetGrain<ICatalogueGrain>(0);
            foreach (var row in new[]
            {
                Row("a.jpg", ImageStatus.Catalogued), Row("b.png", ImageStatus.Moderation), Row("c.jpg", ImageStatus.Catalogued),
                Row("d.jpg", ImageStatus.Catalogued), Row("e.jpg", ImageStatus.Failed), Row("f.jpg", ImageStatus.Catalogued) with { Thumbnail = [0xFF, 0xD8, 0xFF] },
                Row("g.jpg", ImageStatus.Withdrawn),
            })
            {
                await catalogue.File(row);
            }

            return 0;
        }));

        var first = await CliRunner.Run(work.Path, "catalogue", "thumbnails", "--gateway", gateway.ToString(), "--json");
        Assert.True(first.ExitCode == 1, $"exit code {first.ExitCode}; stdout: {first.Output}; stderr: {first.Error}");
        using (var report = JsonDocument.Parse(first.Output))
        {
            Assert.Equal((2, 2), (report.RootElement.GetProperty("renewed").GetInt32(), report.RootElement.GetProperty("failed").GetInt32()));
            var problems = report.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
            Assert.StartsWith("shop/c.jpg: ", problems[0], StringComparison.Ordinal);
            Assert.StartsWith("shop/d.jpg: ", problems[1], StringComparison.Ordinal);
            Assert.Contains("not an image", problems[1]);
        }

        Assert.Equal(0, await ClusterConnection.Run(gateway, async client =>
        {
            var catalogue = client.GetGrain<ICatalogueGrain>(0);
            foreach (var made in new[] { "shop/a.jpg", "shop/b.png" })
            {
                // At most 256 px: the JPEG is decoded at 3/8 for the model (150 px), the PNG whole and shrunk.
                using var thumbnail = Image.Load((await catalogue.Thumbnail(made))!.Jpeg!);
                Assert.Equal(made.EndsWith(".png", StringComparison.Ordinal) ? 256 : 150, thumbnail.Width);
            }

            Assert.Equal(2, await catalogue.CountWithoutThumbnails());
            return 0;
        }));

        // Again: only the two that failed are tried, and the photo back in its folder gets its thumbnail.
        File.Copy(Path.Combine(photos, "a.jpg"), Path.Combine(photos, "c.jpg"));
        var again = await CliRunner.Run(work.Path, "catalogue", "thumbnails", "--gateway", gateway.ToString(), "--json");
        using (var report = JsonDocument.Parse(again.Output))
        {
            Assert.Equal((1, 1), (report.RootElement.GetProperty("renewed").GetInt32(), report.RootElement.GetProperty("failed").GetInt32()));
        }

        var bad = await CliRunner.Run(work.Path, "catalogue", "thumbnails", "--concurrency", "0");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--concurrency must be between 1 and 256", bad.Error);
    }
}
