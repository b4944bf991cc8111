using Vitrina.Tests.Support;
using Vitrina.Training.Data;
using Vitrina.Training.Training;

namespace Vitrina.Tests.Training;

public sealed class AmateurPhotosTests
{
    [Fact]
    public void Splits_clothing_photos_into_two_stable_disjoint_halves_without_shoes_and_hats()
    {
        using var folder = new TempFolder();
        var lines = new List<string> { "file,label,colour,category" };
        for (var i = 0; i < 40; i++)
        {
            var name = $"{Guid.NewGuid():N}.jpg";
            File.WriteAllBytes(folder.Combine(name), [1]);
            lines.Add($"{name},{(i % 10 == 0 ? "Shoes" : i % 10 == 1 ? "Hat" : "T-Shirt")},,");
        }

        File.WriteAllLines(folder.Combine("labels.csv"), lines);
        var photos = AmateurPhotos.Load(folder.Path, null)!;
        var again = AmateurPhotos.Load(folder.Path, null)!;
        Assert.Equal(32, photos.Teach.Count + photos.Measure.Count);
        Assert.Empty(photos.Teach.Select(p => p.Path).Intersect(photos.Measure.Select(p => p.Path)));
        Assert.Equal(photos.Teach.Select(p => p.Path), again.Teach.Select(p => p.Path));
        Assert.InRange(photos.Teach.Count, 6, 26);
    }

    [Fact]
    public void A_folder_without_labels_is_a_clear_error()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<DatasetException>(() => AmateurPhotos.Load(folder.Path, null));
        Assert.Contains("labels.csv", e.Message);
    }
}
