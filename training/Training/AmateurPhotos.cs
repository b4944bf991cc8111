using Vitrina.Training.Data;

namespace Vitrina.Training.Training;

/// <summary>
/// Amateur photos of clothing with no paper label (clothing-cc0: T-shirts, shirts, skirts... on beds, floors, hangers).
/// What is certain about them is what they are not: bags or jewellery. Half of them (by a hash of the file name) teach
/// the category head exactly that; the other half measure how often the model still says so.
/// </summary>
public sealed record AmateurPhotos(IReadOnlyList<LabelledImage> Teach, IReadOnlyList<LabelledImage> Measure)
{
    /// <summary>Categories no photo of a garment may get.</summary>
    public static readonly string[] NotGarments = ["Bags", "Decorations/jewellery"];

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
        var rows = CsvReader.ReadRows(reader).ToList();
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

        var photos = rows.Select((r, i) => (Row: r, Line: i + 1)).Skip(1)
            .Where(r => r.Row.Count > Math.Max(file, label) && !Excluded.Contains(r.Row[label]))
            .Select(r => new LabelledImage(Path.GetFullPath(Path.Combine(folder, r.Row[file])), null, null, "amateur", r.Line))
            .Where(p => File.Exists(p.Path))
            .ToList();
        if (limit is { } n)
        {
            photos = photos.Take(n).ToList();
        }

        bool InTeachingHalf(LabelledImage p) => TextHash.Of(Path.GetFileName(p.Path)) % 2 == 0;
        return new AmateurPhotos(photos.Where(InTeachingHalf).ToList(), photos.Where(p => !InTeachingHalf(p)).ToList());
    }
}
