using System.Text;

namespace Vitrina.Tests.Support;

/// <summary>
/// A learnable labelled folder: colour is the shape's colour, category is its shape (square "Bags", triangle
/// "Dresses"), written as labels.csv with a train/val split. Optionally other products too: wide bars with a colour
/// and no category, as Myntra's T-shirts and shoes have none of the paper's categories.
/// </summary>
public static class SyntheticDataset
{
    public static string Write(TempFolder folder, int perClassPair = 6, int otherProductsPerColour = 0)
    {
        var csv = new StringBuilder("file,colour,category,split\n");
        Directory.CreateDirectory(folder.Combine("images"));
        var n = 0;
        foreach (var (colour, rgb) in TestImages.Colours)
        {
            foreach (var (category, shape) in new[] { ("Bags", 0), ("Dresses", 1) })
            {
                for (var i = 0; i < perClassPair; i++)
                {
                    var file = $"images/{n++:D4}.jpg";
                    using var image = TestImages.Garment(rgb, shape, seed: n);
                    File.WriteAllBytes(folder.Combine(file), TestImages.Jpeg(image));
                    var split = i % 3 == 2 ? "val" : "train";
                    csv.Append($"{file},{colour},{category},{split}\n");
                }
            }

            for (var i = 0; i < otherProductsPerColour; i++)
            {
                var file = $"images/{n++:D4}.jpg";
                using var image = TestImages.Garment(rgb, 2, seed: n);
                File.WriteAllBytes(folder.Combine(file), TestImages.Jpeg(image));
                csv.Append($"{file},{colour},,{(i % 3 == 2 ? "val" : "train")}\n");
            }
        }

        File.WriteAllText(folder.Combine("labels.csv"), csv.ToString());
        return folder.Path;
    }

    /// <summary>Amateur-style photos (a garment on a dark, uneven floor) labelled like clothing-cc0.</summary>
    public static string WriteAmateur(TempFolder folder, int count = 8)
    {
        var csv = new StringBuilder("file,label,colour,category\n");
        for (var i = 0; i < count; i++)
        {
            using var image = TestImages.Garment(TestImages.Colours.Values.ElementAt(i % 4), 1, seed: 100 + i,
                background: new SixLabors.ImageSharp.PixelFormats.Rgb24(90, 70, 50));
            File.WriteAllBytes(folder.Combine($"{i}.jpg"), TestImages.Jpeg(image));
            csv.Append($"{i}.jpg,T-Shirt,,\n");
        }

        File.WriteAllText(folder.Combine("labels.csv"), csv.ToString());
        return folder.Path;
    }
}
