using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vitrina.ClusterHarness;

/// <summary>
/// Shop accounts as the folder post source reads them: one folder per account, one small JPEG per post, each a
/// coloured garment-like block on a light background so every image classifies (the catalogue gets one row per image).
/// </summary>
public static class ShopFolders
{
    public static IReadOnlyList<string> Create(string root, int accounts, int postsPerAccount, int size = 96)
    {
        var handles = new List<string>();
        var random = new Random(42);
        for (var a = 0; a < accounts; a++)
        {
            var handle = $"shop_{a:D3}";
            var folder = Path.Combine(root, handle);
            Directory.CreateDirectory(folder);
            for (var p = 0; p < postsPerAccount; p++)
            {
                var colour = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
                using var image = new Image<Rgb24>(size, size, new Rgb24(240, 240, 240));
                var inset = size / 4 + random.Next(-size / 10, size / 10);
                for (var y = inset; y < size - inset; y++)
                {
                    for (var x = inset; x < size - inset; x++)
                    {
                        image[x, y] = colour;
                    }
                }

                image.SaveAsJpeg(Path.Combine(folder, $"post_{p:D4}.jpg"));
            }

            handles.Add(handle);
        }

        return handles;
    }
}
