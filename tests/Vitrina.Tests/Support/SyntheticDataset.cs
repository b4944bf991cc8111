using System.Text;

namespace Vitrina.Tests.Support;

/// <summary>
/// A learnable labelled folder: colour is the shape's colour, category is its shape (square "Bags", triangle
/// "Dresses"), written as labels.csv with a train/val split.
/// </summary>
public static class SyntheticDataset
{
    public static string Write(TempFolder folder, int perClassPair = 6)
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
        }

        File.WriteAllText(folder.Combine("labels.csv"), csv.ToString());
        return folder.Path;
    }
}
