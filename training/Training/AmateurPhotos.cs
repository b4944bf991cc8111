using Vitrina.Training.Data;

namespace Vitrina.Training.Training;

/// <summary>
/// Amateur photos of clothing with no paper label (clothing-cc0: T-shirts, shirts, skirts... on beds, floors, hangers).
/// What is certain about them is what they are not: no garment is a bag or jewellery, and a top (a T-shirt, a polo, a
/// shirt) is no dress or outfit either. Half of them (by a hash of the file name) teach the category head exactly that;
/// the other half measure how often the model still says so.
/// </summary>
/// <remarks>
/// The rule for tops is taught softly (<see cref="TopsWeight"/>): at full weight it cut the held-out tops called dresses
/// or outfits from 32 % to 0.7 % but cost a point of catalogue accuracy and moved amateur skirts off Dresses, the
/// nearest thing to the amateur dresses we do not have; at 0.1 it halves that error for 0.1 points (docs/accuracy.md).
/// </remarks>
/// <param name="Labels">The dataset's own label of each photo, by path.</param>
public sealed record AmateurPhotos(IReadOnlyList<LabelledImage> Teach, IReadOnlyList<LabelledImage> Measure, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Categories no photo of a garment may get.</summary>
    public static readonly string[] NotGarments = ["Bags", "Decorations/jewellery"];

    /// <summary>Labels of garments worn on the upper body alone, which shops would never shelve as dresses or outfits.</summary>
    public static readonly string[] Tops = ["T-Shirt", "Polo", "Shirt", "Undershirt"];

    /// <summary>Categories no top may get, besides <see cref="NotGarments"/>.</summary>
    public static readonly string[] NotTops = ["Dresses", "Suits/outfits"];

    /// <summary>How strongly <see cref="NotTops"/> is taught, against 1 for <see cref="NotGarments"/>.</summary>
    public const float TopsWeight = 0.1f;

    /// <summary>
    /// The categories <paramref name="photo"/> (one of <see cref="Teach"/> or <see cref="Measure"/>) certainly is not,
    /// each with the weight its probability carries in the training loss.
    /// </summary>
    public IReadOnlyDictionary<string, float> RuledOut(LabelledImage photo)
    {
        var ruledOut = NotGarments.ToDictionary(c => c, _ => 1f);
        if (IsTop(photo))
        {
            foreach (var category in NotTops)
            {
                ruledOut[category] = TopsWeight;
            }
        }

        return ruledOut;
    }

    public bool IsTop(LabelledImage photo) => Tops.Contains(Labels[photo.Path]);

    // Shoes and hats fit no paper category at all; leave them out of both halves.
    private static readonly string[] Excluded = ["Shoes", "Hat"];

    public static AmateurPhotos? Load(string? folder, int? limit)
    {
        if (folder is null)
        {
            return null;
        }

        var labels = Path.Combine(folder, "labels.csv");
        if (!File.Exists(labels))
        {
            throw new DatasetException($"{folder} has no labels.csv (columns file, label) naming what each amateur photo shows.");
        }

        using var reader = new StreamReader(labels);
        var rows = CsvReader.ReadRows(reader, labels).ToList();
        if (rows.Count == 0)
        {
            throw new DatasetException($"{labels} is empty.");
        }

        var header = rows[0].Select(h => h.Trim().ToLowerInvariant()).ToList();
        int file = header.IndexOf("file"), label = header.IndexOf("label");
        if (file < 0 || label < 0)
        {
            throw new DatasetException($"{labels} needs the columns 'file' and 'label'.");
        }

        var labelled = rows.Select((r, i) => (Row: r, Line: i + 1)).Skip(1)
            .Where(r => r.Row.Count > Math.Max(file, label) && r.Row[file].Trim().Length > 0)
            .Select(r => (Photo: new LabelledImage(Path.GetFullPath(Path.Combine(folder, r.Row[file].Trim())), null, null, "amateur", r.Line),
                Label: r.Row[label].Trim()))
            .Where(p => !Excluded.Contains(p.Label))
            .ToList();
        // A photo the labels name but the folder lacks is an error, as in the catalogue dataset: dropped quietly, a
        // wrong folder would train with no amateur photos at all.
        var missing = labelled.Where(p => !File.Exists(p.Photo.Path)).Select(p => $"{labels} row {p.Photo.Row}: file {p.Photo.Path} is missing").ToList();
        if (missing.Count > 0)
        {
            throw DatasetException.Listing($"{missing.Count} amateur photo(s) are missing", missing);
        }

        var photos = labelled.Select(p => p.Photo).ToList();
        if (limit is { } n)
        {
            photos = photos.Take(n).ToList();
        }

        bool InTeachingHalf(LabelledImage p) => TextHash.Of(Path.GetFileName(p.Path)) % 2 == 0;
        return new AmateurPhotos(photos.Where(InTeachingHalf).ToList(), photos.Where(p => !InTeachingHalf(p)).ToList(),
            labelled.DistinctBy(p => p.Photo.Path).ToDictionary(p => p.Photo.Path, p => p.Label));
    }
}
