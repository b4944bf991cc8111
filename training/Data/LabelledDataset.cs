namespace Vitrina.Training.Data;

/// <summary>
/// A labelled photo folder: either a labels.csv (columns file, colour, category and optionally split; other columns
/// ignored) or one sub-folder per class (folder names matched against the colour and category class lists).
/// </summary>
public sealed class LabelledDataset
{
    /// <summary>
    /// Files read as photos: the formats the preparation decodes, and the phone formats it refuses with a reason (HEIC,
    /// AVIF), so that a folder of iPhone photos is reported rather than passed over in silence.
    /// </summary>
    public static readonly IReadOnlyList<string> ImageExtensions =
        [".jpg", ".jpeg", ".jfif", ".png", ".webp", ".bmp", ".gif", ".tif", ".tiff", ".tga", ".pbm", ".heic", ".heif", ".avif"];

    private LabelledDataset(string root, IReadOnlyList<LabelledImage> images)
    {
        Root = root;
        Images = images;
    }

    public string Root { get; }
    public IReadOnlyList<LabelledImage> Images { get; }

    public IEnumerable<LabelledImage> Split(string split) => Images.Where(i => i.Split == split);

    /// <param name="knownColours">When given, colour labels outside this list are an error naming the rows.</param>
    /// <param name="knownCategories">When given, category labels outside this list are an error naming the rows.</param>
    public static LabelledDataset Load(string root, IReadOnlyCollection<string>? knownColours = null, IReadOnlyCollection<string>? knownCategories = null)
    {
        if (!Directory.Exists(root))
        {
            throw new DatasetException($"Dataset folder {root} does not exist.");
        }

        var labels = Path.Combine(root, "labels.csv");
        var images = File.Exists(labels)
            ? FromCsv(root, labels)
            : FromClassFolders(root, knownColours ?? [], knownCategories ?? []);
        Validate(labels, images, knownColours, knownCategories);
        return new LabelledDataset(root, images);
    }

    private static List<LabelledImage> FromCsv(string root, string labels)
    {
        using var reader = new StreamReader(labels);
        using var rows = CsvReader.ReadRows(reader, labels).GetEnumerator();
        if (!rows.MoveNext())
        {
            throw new DatasetException($"{labels} is empty.");
        }

        var header = rows.Current.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var file = header.IndexOf("file");
        if (file < 0)
        {
            throw new DatasetException($"{labels} has no 'file' column (columns: {string.Join(", ", header)}).");
        }

        var colour = header.IndexOf("colour");
        var category = header.IndexOf("category");
        var split = header.IndexOf("split");
        if (colour < 0 && category < 0)
        {
            var hint = header.Contains("color") ? " ('color' is spelt 'colour' here)" : "";
            throw new DatasetException($"{labels} has neither a 'colour' nor a 'category' column{hint} (columns: {string.Join(", ", header)}).");
        }

        var images = new List<LabelledImage>();
        var line = 1;
        while (rows.MoveNext())
        {
            line++;
            var row = rows.Current;
            if (row.All(cell => cell.Trim().Length == 0))
            {
                continue; // a blank line, or a spreadsheet's empty row of commas
            }

            string? Cell(int i) => i >= 0 && i < row.Count && row[i].Trim().Length > 0 ? row[i].Trim() : null;
            if (Cell(file) is not { } name)
            {
                throw new DatasetException($"{labels} row {line}: no file name in the 'file' column.");
            }

            images.Add(new LabelledImage(
                Path.GetFullPath(Path.Combine(root, name)), Cell(colour), Cell(category), Cell(split)?.ToLowerInvariant() ?? "train", line,
                CategoryUnknown: category < 0)); // no category column says nothing of the categories; an empty cell says "none of them"
        }

        return images;
    }

    private static List<LabelledImage> FromClassFolders(string root, IReadOnlyCollection<string> colours, IReadOnlyCollection<string> categories)
    {
        var images = new List<LabelledImage>();
        foreach (var folder in Directory.EnumerateDirectories(root).Order())
        {
            var name = Path.GetFileName(folder);
            var colour = ClassOfFolder(name, colours);
            var category = ClassOfFolder(name, categories);
            if (colour is null && category is null)
            {
                throw new DatasetException(
                    $"Folder '{name}' in {root} is neither a known colour ({string.Join(", ", colours)}) nor a known category " +
                    $"({string.Join(", ", categories)}); a '/' in a class name is written '_' in a folder name.");
            }

            foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(IsImageFile).Order())
            {
                images.Add(new LabelledImage(path, colour, category, "train", 0, CategoryUnknown: category is null));
            }
        }

        return images;
    }

    /// <summary>Folder names cannot hold the '/' of "Decorations/jewellery": the folder spells it '_'.</summary>
    private static string? ClassOfFolder(string folder, IReadOnlyCollection<string> classes) =>
        classes.FirstOrDefault(c => c == folder || c.Replace('/', '_') == folder);

    public static bool IsImageFile(string path) =>
        ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    private static void Validate(string labels, List<LabelledImage> images, IReadOnlyCollection<string>? colours, IReadOnlyCollection<string>? categories)
    {
        var problems = new List<string>();
        var firstRows = new Dictionary<string, int>();
        foreach (var image in images)
        {
            var where = image.Row > 0 ? $"{labels} row {image.Row}" : image.Path;
            // Twice in one dataset, a photo may sit in train and val at once, or carry two answers.
            if (!firstRows.TryAdd(image.Path, image.Row))
            {
                problems.Add($"{where}: file {image.Path} is already listed (row {firstRows[image.Path]})");
            }

            if (!File.Exists(image.Path))
            {
                problems.Add($"{where}: file {image.Path} is missing");
            }

            if (image.Colour is { } c && colours is not null && !colours.Contains(c))
            {
                problems.Add($"{where}: unknown colour '{c}'");
            }

            if (image.Category is { } k && categories is not null && !categories.Contains(k))
            {
                problems.Add($"{where}: unknown category '{k}'");
            }
        }

        if (problems.Count > 0)
        {
            throw DatasetException.Listing($"The dataset has {problems.Count} problem(s)", problems);
        }
    }
}
