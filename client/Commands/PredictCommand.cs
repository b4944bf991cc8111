using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vitrina.Training.Data;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Store;

namespace Vitrina.Client.Commands;

/// <summary>
/// <c>vitrina predict</c>: offline labels for every image under a folder with the current model, as CSV
/// <c>file,colour,colour_p,category,category_p</c> (a stable format: other tools read it).
/// </summary>
public static class PredictCommand
{
    public const string Header = "file,colour,colour_p,category,category_p";
    private const int Chunk = 64;

    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("folder") { Description = "Folder of images, searched recursively." };
        var output = new Option<FileInfo>("--out") { Description = "CSV file to write.", Required = true };
        var store = CommonOptions.Store();
        var command = new Command("predict",
            $"Label every image under a folder with the current model and write a CSV with the columns {Header}: the file's path " +
            "relative to the folder, each task's label and its probability (4 decimals), in file order. Unreadable images are " +
            "named on stderr and left out; the exit code is 1 only when no image could be read.") { folder, output, store };
        command.Validators.Add(result =>
        {
            if (result.TryGetValue(folder, out var given) && given is { Exists: false } missing)
            {
                result.AddError(CommonOptions.NotAFolder(missing));
            }
        });
        command.SetAction(parse =>
        {
            var root = parse.GetRequiredValue(folder).FullName;
            // A sub-folder it may not read is passed over, not the end of the run.
            var all = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).ToList();
            var files = all.Where(LabelledDataset.IsImageFile).Order(StringComparer.Ordinal).ToList();
            if (all.Count > files.Count)
            {
                Console.Error.WriteLine($"ignored {all.Count - files.Count} file(s) without an image extension ({string.Join(", ", LabelledDataset.ImageExtensions)})");
            }

            if (files.Count == 0)
            {
                Console.Error.WriteLine($"error: no images under {root}");
                return 2;
            }

            using var classifier = ColourCategoryClassifier.LoadCurrent(new ModelStore(parse.GetValue(store)!, ModelStore.ShippedRoot));

            var failures = new List<string>();
            var (moderated, outside) = (0, 0);
            var outPath = parse.GetRequiredValue(output).FullName;
            if (Directory.Exists(outPath))
            {
                Console.Error.WriteLine($"error: --out {outPath} is a folder; name the CSV file to write");
                return 2;
            }

            if (File.Exists(outPath) && File.ReadLines(outPath).FirstOrDefault() != Header)
            {
                Console.Error.WriteLine($"error: --out {outPath} exists and is no predict CSV (its first line is not {Header}); name a new file or delete it");
                return 2;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
            // Written beside it and moved into place at the end: an interrupted run leaves the previous CSV, not half a new one.
            var partial = $"{outPath}.partial-{Environment.ProcessId}";
            var writer = new StreamWriter(partial) { NewLine = "\n" }; // the same bytes on every platform
            writer.WriteLine(Header);
            try
            {
                ProgressBars.Console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(context =>
                    {
                        var task = context.AddTask($"predict ({classifier.Manifest.Version})", maxValue: Math.Max(1, files.Count));
                        foreach (var chunk in files.Chunk(Chunk))
                        {
                            var prepared = new PreparedImage?[chunk.Length];
                            Parallel.For(0, chunk.Length, i =>
                            {
                                try
                                {
                                    prepared[i] = ImagePreparation.PrepareFile(chunk[i], classifier.Manifest.Preparation);
                                }
                                catch (Exception e) when (e is ImageRejectedException or IOException or UnauthorizedAccessException)
                                {
                                    lock (failures)
                                    {
                                        failures.Add($"{chunk[i]}: {e.Message}");
                                    }
                                }
                            });
                            var ok = Enumerable.Range(0, chunk.Length).Where(i => prepared[i] is not null).ToList();
                            var predictions = classifier.Classify(ok.Select(i => prepared[i]!).ToList());
                            foreach (var (i, p) in ok.Zip(predictions))
                            {
                                moderated += p.NeedsModeration(classifier.Manifest) ? 1 : 0;
                                outside += p.IsInTaxonomy(classifier.Manifest) ? 0 : 1;
                                writer.WriteLine(string.Join(',',
                                    Csv(Path.GetRelativePath(root, chunk[i])), Csv(p.Colour), p.ColourProbability.ToString("0.0000", CultureInfo.InvariantCulture),
                                    Csv(p.Category), p.CategoryProbability.ToString("0.0000", CultureInfo.InvariantCulture)));
                            }

                            task.Increment(chunk.Length);
                        }
                    });
            }
            catch
            {
                writer.Dispose();
                File.Delete(partial);
                throw;
            }

            writer.Dispose();
            foreach (var failure in failures.Order(StringComparer.Ordinal))
            {
                Console.Error.WriteLine($"skipped {failure}");
            }

            if (failures.Count == files.Count)
            {
                File.Delete(partial); // a CSV of no rows would replace the last good one
                Console.Error.WriteLine($"error: none of the {files.Count} image(s) could be read; {outPath} left as it was");
                return 1;
            }

            File.Move(partial, outPath, overwrite: true);

            // The CSV keeps its columns; what the catalogue would do with these photos is told here.
            Console.WriteLine($"{files.Count - failures.Count} image(s) labelled, {failures.Count} skipped; wrote {outPath}; " +
                $"in a cluster {moderated} would wait for a moderator ({outside} judged outside the {classifier.Manifest.CategoryClasses.Count} categories)");
            return 0;
        });
        return command;
    }

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
}
