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
    public void Tops_are_no_dresses_or_outfits_and_no_garment_is_a_bag_or_jewellery()
    {
        using var folder = new TempFolder();
        var labels = new[] { "T-Shirt", "Polo", "Shirt", "Undershirt", "Skirt", "Pants", "Top", "Body" };
        var lines = new List<string> { "file,label" };
        foreach (var (label, i) in labels.Select((l, i) => (l, i)))
        {
            File.WriteAllBytes(folder.Combine($"{i}.jpg"), [1]);
            lines.Add($"{i}.jpg,{label}");
        }

        File.WriteAllLines(folder.Combine("labels.csv"), lines);
        var photos = AmateurPhotos.Load(folder.Path, null)!;
        var ruledOut = photos.Teach.Concat(photos.Measure).ToDictionary(p => photos.Labels[p.Path], photos.RuledOut);

        Assert.Equal(labels.Order(), ruledOut.Keys.Order());
        foreach (var top in new[] { "T-Shirt", "Polo", "Shirt", "Undershirt" })
        {
            Assert.Equal(["Bags", "Decorations/jewellery", "Dresses", "Suits/outfits"], ruledOut[top].Keys.Order());
            Assert.Equal(1f, ruledOut[top]["Bags"]);
            Assert.Equal(AmateurPhotos.TopsWeight, ruledOut[top]["Dresses"]);
        }

        // A skirt or a top may well be shelved with dresses, a bodysuit with outfits: only bags and jewellery are ruled out.
        foreach (var other in new[] { "Skirt", "Pants", "Top", "Body" })
        {
            Assert.Equal(["Bags", "Decorations/jewellery"], ruledOut[other].Keys.Order());
        }
    }

    [Fact]
    public void A_folder_without_labels_is_a_clear_error()
    {
        using var folder = new TempFolder();
        var e = Assert.Throws<DatasetException>(() => AmateurPhotos.Load(folder.Path, null));
        Assert.Contains("labels.csv", e.Message);
    }

    [Fact]
    public void A_photo_the_labels_name_but_the_folder_lacks_is_an_error_naming_its_row()
    {
        using var folder = new TempFolder();
        var root = SyntheticDataset.WriteAmateur(folder);
        var first = Directory.EnumerateFiles(root, "*.jpg", SearchOption.AllDirectories).Order().First();
        File.Delete(first);

        var e = Assert.Throws<DatasetException>(() => AmateurPhotos.Load(root, null));

        Assert.Contains("1 amateur photo(s) are missing", e.Message);
        Assert.Contains($"{first} is missing", e.Message);
    }
}
