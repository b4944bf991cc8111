using Vitrina.Training.Data;

namespace Vitrina.Training.Training;

/// <summary>Train and validation rows of a dataset, with the class lists derived from the training rows.</summary>
public sealed record DatasetSplits(
    IReadOnlyList<LabelledImage> Train, IReadOnlyList<LabelledImage> Val,
    IReadOnlyList<string> Colours, IReadOnlyList<string> Categories)
{
    public static DatasetSplits From(TrainingOptions options)
    {
        var data = LabelledDataset.Load(options.DataFolder, Taxonomy.Paper.Colours, Taxonomy.Paper.Categories);
        // "test" rows are held back from training on purpose; any other name would be left out without a word.
        var unknown = data.Images.GroupBy(r => r.Split).Where(g => g.Key is not ("train" or "val" or "validation" or "test")).ToList();
        if (unknown.Count > 0)
        {
            throw new DatasetException(
                $"{options.DataFolder}: split values other than train, val (or validation) and test: " +
                $"{string.Join(", ", unknown.Select(g => $"'{g.Key}' ({g.Count()} rows, first row {g.First().Row})"))}.");
        }

        var train = data.Split("train").ToList();
        var val = data.Split("val").Concat(data.Split("validation")).ToList();
        if (val.Count == 0)
        {
            // No split column: hold out every fifth photo, deterministically, so reruns compare like with like.
            val = train.Where((_, i) => i % 5 == 4).ToList();
            train = train.Where((_, i) => i % 5 != 4).ToList();
        }

        var colours = ClassList.FromLabels(train.Select(r => r.Colour), options.ColourThreshold, Taxonomy.Paper.Colours);
        var categories = ClassList.FromLabels(train.Select(r => r.Category), options.CategoryThreshold, Taxonomy.Paper.Categories);
        if (colours.Count < 2 || categories.Count < 2)
        {
            throw new DatasetException(
                $"Too few classes in {options.DataFolder}: {colours.Count} colour(s) and {categories.Count} categorie(s) reach the thresholds ({options.ColourThreshold} / {options.CategoryThreshold} images); each task needs at least 2.");
        }

        // A label below its class threshold is no label of this model's: kept, val would count it as a miss the model
        // cannot avoid (and `evaluate` refuses it). A category dropped so is outside the model's categories.
        LabelledImage Known(LabelledImage r) => r with
        {
            Colour = r.Colour is { } c && colours.Contains(c) ? c : null,
            Category = r.Category is { } k && categories.Contains(k) ? k : null,
        };
        bool Labelled(LabelledImage r) => r.Colour is not null || r.Category is not null;
        return new DatasetSplits(
            Limit(train.Select(Known).Where(Labelled), options), Limit(val.Select(Known).Where(Labelled), options), colours, categories);
    }

    private static List<LabelledImage> Limit(IEnumerable<LabelledImage> rows, TrainingOptions options)
    {
        var list = rows.ToList();
        if (options.Limit is not { } limit || list.Count <= limit)
        {
            return list;
        }

        // An even stride keeps every class represented in a small sample.
        var stride = (double)list.Count / limit;
        return Enumerable.Range(0, limit).Select(i => list[(int)(i * stride)]).ToList();
    }
}
