using Vitrina.Training.Data;
using Vitrina.Training.Images;

namespace Vitrina.Training.Training;

/// <summary>Dataset photos prepared once, in memory; photos that fail to prepare are listed in <see cref="Skipped"/>, not fatal.</summary>
public sealed class PreparedSet
{
    private PreparedSet(IReadOnlyList<PreparedImage> images, IReadOnlyList<LabelledImage> rows, IReadOnlyList<SkippedImage> skipped)
    {
        Images = images;
        Rows = rows;
        Skipped = skipped;
    }

    public IReadOnlyList<PreparedImage> Images { get; }
    public IReadOnlyList<LabelledImage> Rows { get; }
    public IReadOnlyList<SkippedImage> Skipped { get; }
    public int Count => Images.Count;

    /// <summary>Class index of each photo for one task; -1 where the photo has no label in <paramref name="classes"/>.</summary>
    public int[] Labels(Func<LabelledImage, string?> label, IReadOnlyList<string> classes)
    {
        var index = classes.ToList();
        return Rows.Select(r => label(r) is { } l ? index.IndexOf(l) : -1).ToArray();
    }

    /// <summary>
    /// This set, unless none of its photos could be read: then an error with the first reasons, not a training run on
    /// nothing that fails later on a NaN loss, with the list of skipped photos never written.
    /// </summary>
    public PreparedSet SomeReadable(string split)
    {
        if (Count > 0 || Skipped.Count == 0)
        {
            return this;
        }

        throw DatasetException.Listing($"None of the {Skipped.Count} {split} photo(s) could be read", Skipped.Select(s => $"{s.Path}: {s.Reason}").ToList());
    }

    /// <summary>Prepares the photos on all cores, reporting progress every 256 photos.</summary>
    public static PreparedSet Prepare(IReadOnlyList<LabelledImage> rows, PreparationSettings settings, IProgress<int>? progress = null)
    {
        var prepared = new PreparedImage?[rows.Count];
        var reasons = new string?[rows.Count];
        var done = 0;
        Parallel.For(0, rows.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            try
            {
                prepared[i] = ImagePreparation.PrepareFile(rows[i].Path, settings);
            }
            catch (Exception e) when (e is ImageRejectedException or IOException or UnauthorizedAccessException)
            {
                reasons[i] = e.Message;
            }

            var n = Interlocked.Increment(ref done);
            if (n % 256 == 0 || n == rows.Count)
            {
                progress?.Report(n);
            }
        });

        var images = new List<PreparedImage>();
        var kept = new List<LabelledImage>();
        var skipped = new List<SkippedImage>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (prepared[i] is { } image)
            {
                images.Add(image);
                kept.Add(rows[i]);
            }
            else
            {
                skipped.Add(new SkippedImage(rows[i].Path, reasons[i] ?? "unknown"));
            }
        }

        return new PreparedSet(images, kept, skipped);
    }
}

/// <summary>A dataset photo left out of training, and why.</summary>
public sealed record SkippedImage(string Path, string Reason);
