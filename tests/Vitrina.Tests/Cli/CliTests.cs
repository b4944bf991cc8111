using System.Globalization;
using System.Text.Json;
using Vitrina.ClusterHarness;
using Vitrina.Client.Commands;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cli;

public sealed class CliTests
{
    [Fact]
    public async Task Predict_writes_a_row_per_readable_image_recursively_and_names_the_unreadable_ones()
    {
        using var work = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(work.Combine("models")), "untrained");
        var photos = Directory.CreateDirectory(work.Combine("photos", "nested")).Parent!.FullName;
        foreach (var (name, i) in new[] { ("one.jpg", 0), ("nested/two.jpg", 1), ("nested/three.png", 2), ("nested/four.tiff", 3) })
        {
            using var image = TestImages.Garment(TestImages.Colours.Values.ElementAt(i), i % 2);
            var encoded = Path.GetExtension(name) switch { ".png" => TestImages.Png(image), ".tiff" => TestImages.Tiff(image), _ => TestImages.Jpeg(image) };
            File.WriteAllBytes(Path.Combine(photos, name), encoded);
        }

        File.WriteAllText(Path.Combine(photos, "broken.jpg"), "not a photo");
        File.WriteAllText(Path.Combine(photos, "notes.txt"), "not an image, by name");
        // An iPhone photo: refused by name with what it is, not passed over as a file without an image extension.
        File.WriteAllBytes(Path.Combine(photos, "IMG_0001.HEIC"), [0, 0, 0, 24, .. "ftypheic"u8, 0, 0, 0, 0, .. "mif1"u8, .. new byte[64]]);

        var result = await CliRunner.Run(work.Path, "predict", photos, "--out", "out/preds.csv", "--store", "models");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("broken.jpg", result.Error);
        Assert.Contains("ignored 1 file(s) without an image extension", result.Error);
        Assert.Matches("IMG_0001.HEIC.*HEIC/HEIF photo", result.Error);
        var lines = File.ReadAllLines(work.Combine("out", "preds.csv"));
        Assert.Equal("file,colour,colour_p,category,category_p", lines[0]);
        Assert.Equal(["nested/four.tiff", "nested/three.png", "nested/two.jpg", "one.jpg"], lines.Skip(1).Select(l => l.Split(',')[0]).Order(StringComparer.Ordinal));
        // Each row is what the same model says of the same file in this process (one batch in file order, as the CLI
        // runs them), to the CSV's 4 decimals.
        using var classifier = ColourCategoryClassifier.LoadCurrent(new ModelStore(work.Combine("models")));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var expected = classifier.Classify(rows.Select(r => ImagePreparation.PrepareFile(Path.Combine(photos, r[0]), classifier.Manifest.Preparation)).ToList());
        foreach (var (cells, p) in rows.Zip(expected))
        {
            Assert.Equal([p.Colour, p.ColourProbability.ToString("0.0000", CultureInfo.InvariantCulture),
                p.Category, p.CategoryProbability.ToString("0.0000", CultureInfo.InvariantCulture)], cells[1..]);
        }

        var moderated = expected.Count(p => p.NeedsModeration(classifier.Manifest));

        // This model has no taxonomy gate: nothing is judged outside its categories.
        Assert.Matches($@"4 image\(s\) labelled, 2 skipped; wrote .*; in a cluster {moderated} would wait for a moderator \(0 judged outside the 2 categories\)",
            result.Output);
    }

    [Fact]
    public async Task Evaluate_prints_json_with_per_task_scores()
    {
        using var work = new TempFolder();
        using var data = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(work.Combine("models")), "untrained");
        var folder = SyntheticDataset.Write(data, perClassPair: 2, otherProductsPerColour: 1);

        var result = await CliRunner.Run(work.Path, "evaluate", "--data", folder, "--json", "--store", "models");

        Assert.Equal(0, result.ExitCode);
        using var document = JsonDocument.Parse(result.Output);
        var tasks = document.RootElement.GetProperty("tasks");
        Assert.Equal(2, tasks.GetArrayLength()); // no taxonomy gate on this model
        Assert.Equal(20, tasks[0].GetProperty("count").GetInt32());
        Assert.Equal(16, tasks[1].GetProperty("count").GetInt32()); // the 4 other products have no category
        Assert.Equal(4, tasks[0].GetProperty("confusion").GetArrayLength());
        Assert.Equal("train", document.RootElement.GetProperty("fittedSplits")[0].GetString());
        Assert.DoesNotContain("warning", result.Error);

        // A model with a taxonomy gate is scored on it too: every photo, those without a category as "outside".
        ModelStoreTests.SaveUntrained(new ModelStore(work.Combine("models")), ModelStoreTests.Manifest("gated") with { TaxonomyThreshold = 0.5 });
        var gated = await CliRunner.Run(work.Path, "evaluate", "--data", folder, "--json", "--store", "models");
        using var gatedDocument = JsonDocument.Parse(gated.Output);
        Assert.Equal(0.5, gatedDocument.RootElement.GetProperty("taxonomyThreshold").GetDouble());
        var taxonomy = gatedDocument.RootElement.GetProperty("tasks")[2];
        Assert.Equal("taxonomy", taxonomy.GetProperty("task").GetString());
        Assert.Equal(20, taxonomy.GetProperty("count").GetInt32());
        Assert.Equal([4, 16], taxonomy.GetProperty("perClass").EnumerateArray().Select(c => c.GetProperty("support").GetInt32()));
    }

    [Fact]
    public async Task Evaluate_warns_when_the_model_was_fitted_on_the_split_it_scores()
    {
        using var work = new TempFolder();
        using var data = new TempFolder();
        var store = new ModelStore(work.Combine("models"));
        ModelStoreTests.SaveUntrained(store, ModelStoreTests.Manifest("refitted") with { FittedSplits = ["train", "val"] });
        var folder = SyntheticDataset.Write(data, perClassPair: 3);

        var val = await CliRunner.Run(work.Path, "evaluate", "--data", folder, "--split", "val", "--store", "models");
        var all = await CliRunner.Run(work.Path, "evaluate", "--data", folder, "--store", "models");

        Assert.Equal(0, val.ExitCode);
        Assert.Contains("warning: model refitted was fitted on the 'val' split", val.Error);
        Assert.Contains("not held out", val.Error);
        Assert.Contains("fitted on the 'train', 'val' split(s) of the data it was trained on, and these rows include them", all.Error); // the default: every row
        var list = await CliRunner.Run(work.Path, "models", "list", "--store", "models", "--json");
        using var listed = JsonDocument.Parse(list.Output);
        Assert.Equal(["train", "val"], listed.RootElement.GetProperty("models")[0].GetProperty("fittedSplits").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Bad_arguments_fail_with_a_message_that_says_what_is_wrong()
    {
        using var work = new TempFolder();
        var missingData = await CliRunner.Run(work.Path, "train");
        Assert.Equal(2, missingData.ExitCode); // a usage error is an input error
        Assert.Contains("--data", missingData.Error + missingData.Output);

        var badModel = await CliRunner.Run(work.Path, "train", "--data", work.Path, "--model", "gpt");
        Assert.Equal(2, badModel.ExitCode);
        Assert.Contains("gpt", badModel.Error + badModel.Output);

        var garmentOptionForPaper = await CliRunner.Run(work.Path, "train", "--data", work.Path, "--model", "paper", "--amateur-weight", "0.5");
        Assert.Equal(2, garmentOptionForPaper.ExitCode);
        Assert.Contains("--amateur-weight: only for --model garment", garmentOptionForPaper.Error + garmentOptionForPaper.Output);

        var paperOptionForGarment = await CliRunner.Run(work.Path, "train", "--data", work.Path, "--category-epochs", "3");
        Assert.Equal(2, paperOptionForGarment.ExitCode);
        Assert.Contains("--category-epochs: only for --model paper", paperOptionForGarment.Error + paperOptionForGarment.Output);

        var missingFolder = await CliRunner.Run(work.Path, "predict", work.Combine("nope"), "--out", "x.csv");
        Assert.Equal(2, missingFolder.ExitCode);
        Assert.Contains("does not exist", missingFolder.Error + missingFolder.Output);

        Directory.CreateDirectory(work.Combine("no-photos"));
        File.WriteAllText(work.Combine("no-photos", "notes.txt"), "not a photo");
        var noPhotos = await CliRunner.Run(work.Path, "predict", work.Combine("no-photos"), "--out", "x.csv");
        Assert.Equal(2, noPhotos.ExitCode);
        Assert.Contains("no images under", noPhotos.Error);
        Assert.False(File.Exists(work.Combine("x.csv")));

        var badHandle = await CliRunner.Run(work.Path, "accounts", "add", "bad handle!", "--folder", work.Path);
        Assert.NotEqual(0, badHandle.ExitCode);
        Assert.Contains("not a valid handle", badHandle.Error + badHandle.Output);
        var dots = await CliRunner.Run(work.Path, "accounts", "add", "..", "--folder", work.Path); // its image ids would be paths upwards
        Assert.NotEqual(0, dots.ExitCode);
        Assert.Contains("not a valid handle", dots.Error + dots.Output);

        // Values that do not convert are usage errors naming the option, also where a validator checks its range.
        var notANumber = await CliRunner.Run(work.Path, "catalogue", "list", "--limit", "abc");
        Assert.NotEqual(0, notANumber.ExitCode);
        Assert.Contains("Cannot parse argument 'abc' for option '--limit'", notANumber.Error + notANumber.Output);
        Assert.DoesNotContain("InvalidOperationException", notANumber.Error + notANumber.Output);

        var negativeWeight = await CliRunner.Run(work.Path, "train", "--data", work.Path, "--amateur-weight", "-1");
        Assert.NotEqual(0, negativeWeight.ExitCode);
        Assert.Contains("--amateur-weight must be a number of at least 0", negativeWeight.Error + negativeWeight.Output);
    }

    [Fact]
    public async Task Input_errors_inside_a_command_are_one_line_with_exit_code_2_not_a_stack_trace()
    {
        using var work = new TempFolder();
        using var data = new TempFolder();
        var store = new ModelStore(work.Combine("models"));
        ModelStoreTests.SaveUntrained(store, "untrained");
        var folder = SyntheticDataset.Write(data, perClassPair: 1);
        Directory.CreateDirectory(work.Combine("taken"));

        var noSuchSplit = await CliRunner.Run(work.Path, "evaluate", "--data", folder, "--split", "test", "--store", "models");
        Assert.Equal(2, noSuchSplit.ExitCode);
        Assert.Contains("no photos in split 'test'", noSuchSplit.Error);
        Assert.Contains("train (", noSuchSplit.Error);

        var outIsAFolder = await CliRunner.Run(work.Path, "predict", folder, "--out", "taken", "--store", "models");
        Assert.Equal(2, outIsAFolder.ExitCode);
        Assert.Contains("error: ", outIsAFolder.Error);
        Assert.Contains("taken", outIsAFolder.Error);

        // --out on a file that is no predict CSV (here the dataset's labels) would replace it.
        var labels = File.ReadAllText(Path.Combine(folder, "labels.csv"));
        var outIsTheLabels = await CliRunner.Run(work.Path, "predict", folder, "--out", Path.Combine(folder, "labels.csv"), "--store", "models");
        Assert.Equal(2, outIsTheLabels.ExitCode);
        Assert.Contains("is no predict CSV", outIsTheLabels.Error);
        Assert.Equal(labels, File.ReadAllText(Path.Combine(folder, "labels.csv")));

        // A run that could read no image leaves the previous CSV, not one of no rows; evaluate has nothing to score.
        var broken = Directory.CreateDirectory(work.Combine("broken")).FullName;
        File.WriteAllText(Path.Combine(broken, "a.jpg"), "not a jpeg");
        File.WriteAllText(Path.Combine(broken, "labels.csv"), "file,colour,category\na.jpg,Black,Bags\n");
        var previous = $"{PredictCommand.Header}\nold.jpg,Black,0.9000,Bags,0.9000\n";
        File.WriteAllText(work.Combine("previous.csv"), previous);
        var noneReadable = await CliRunner.Run(work.Path, "predict", broken, "--out", "previous.csv", "--store", "models");
        Assert.Equal(1, noneReadable.ExitCode);
        Assert.Contains("left as it was", noneReadable.Error);
        Assert.Equal(previous, File.ReadAllText(work.Combine("previous.csv")));
        var nothingToScore = await CliRunner.Run(work.Path, "evaluate", "--data", broken, "--store", "models");
        Assert.Equal(2, nothingToScore.ExitCode);
        Assert.Contains("nothing to score", nothingToScore.Error);

        File.WriteAllText(Path.Combine(store.Root, "current"), "gone");
        var missingCurrent = await CliRunner.Run(work.Path, "predict", folder, "--out", "p.csv", "--store", "models");
        Assert.Equal(2, missingCurrent.ExitCode);
        Assert.Contains("'gone' is not in the store", missingCurrent.Error);

        var missingBackgrounds = await CliRunner.Run(work.Path, "evaluate", "--data", folder, "--shift-backgrounds", work.Combine("nope"));
        Assert.NotEqual(0, missingBackgrounds.ExitCode);
        Assert.Contains("nope", missingBackgrounds.Error + missingBackgrounds.Output);

        var zeroLimit = await CliRunner.Run(work.Path, "train", "--data", folder, "--limit", "0");
        Assert.NotEqual(0, zeroLimit.ExitCode);
        Assert.Contains("--limit must be at least 1", zeroLimit.Error + zeroLimit.Output);
        Assert.All(new[] { noSuchSplit, outIsAFolder, missingCurrent }, r => Assert.DoesNotContain("   at ", r.Error));
    }

    [Fact]
    public async Task A_model_this_build_cannot_serve_is_refused_with_what_to_do()
    {
        using var work = new TempFolder();
        var store = new ModelStore(work.Combine("models"));
        ModelStoreTests.SaveUntrained(store, "older");
        ModelStoreTests.SaveUntrained(store, "retired");
        ModelStoreTests.Retire(store, "retired");
        var photos = Directory.CreateDirectory(work.Combine("photos")).FullName;
        using (var image = TestImages.Garment(TestImages.Colours.Values.First(), 0))
        {
            File.WriteAllBytes(Path.Combine(photos, "one.jpg"), TestImages.Jpeg(image));
        }

        ModelStoreTests.SaveUntrained(store, "damaged");
        File.WriteAllText(Path.Combine(store.FolderOf("damaged"), "colour-head.weights"), "not weights");
        store.SetCurrent("older");

        var list = await CliRunner.Run(work.Path, "models", "list", "--store", "models");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("trained by another build", list.Output);

        var use = await CliRunner.Run(work.Path, "models", "use", "retired", "--store", "models");
        Assert.Equal(2, use.ExitCode);
        Assert.Contains("resnet18-retired-heads", use.Error);
        var damaged = await CliRunner.Run(work.Path, "models", "use", "damaged", "--store", "models");
        Assert.Equal(2, damaged.ExitCode);
        Assert.Contains("Model damaged could not be loaded", damaged.Error);
        var outside = await CliRunner.Run(work.Path, "models", "use", "../models/older", "--store", "models");
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("is not a model version name", outside.Error);
        Assert.Equal("older", store.CurrentVersion());

        store.SetCurrent("retired"); // as an upgrade of Vitrina leaves a store whose current model an older build trained
        var predict = await CliRunner.Run(work.Path, "predict", photos, "--out", "preds.csv", "--store", "models");
        Assert.Equal(2, predict.ExitCode);
        Assert.Contains("Model retired", predict.Error);
        Assert.Contains("vitrina models use", predict.Error);
        Assert.DoesNotContain("   at ", predict.Error); // a message, not a stack trace
        Assert.False(File.Exists(work.Combine("preds.csv")));
    }

    [Fact]
    public async Task Help_explains_the_commands()
    {
        var result = await CliRunner.Run(Path.GetTempPath(), "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "accounts", "catalogue", "train", "evaluate", "predict", "models", "silos" })
        {
            Assert.Contains(command, result.Output);
        }
    }

    [Fact]
    public async Task Db_status_looks_db_migrate_creates_the_cluster_and_catalogue_schemas_and_a_foreign_schema_is_refused_untouched()
    {
        using var work = new TempFolder();
        await using var database = await TestClusterDatabase.Create();
        var cs = new Dictionary<string, string> { [Vitrina.Client.Commands.Cluster.ConnectionVariable] = database.ConnectionString };

        var empty = await CliRunner.Run(work.Path, cs, "db", "status");
        Assert.Equal(1, empty.ExitCode); // not current: a script can tell
        Assert.StartsWith("empty", empty.Output);
        // The catalogue too (in the cluster's database unless told otherwise, as in the silos): an upgrade's migrations
        // run before its silos start. A schema of the test's own, since the test database is shared.
        var catalogue = $"catalogue_{Guid.NewGuid():N}";
        try
        {
            var migrated = await CliRunner.Run(work.Path, cs, "db", "migrate", "--catalogue-schema", catalogue);
            Assert.Equal(0, migrated.ExitCode);
            Assert.Contains("-> version", migrated.Output);
            Assert.Contains($"catalogue (schema {catalogue}): applied 20261126000000_CreateCatalogue", migrated.Output);
            Assert.Equal(1, await database.Count($"SELECT count(*) FROM pg_tables WHERE schemaname = '{catalogue}' AND tablename = 'items'"));
            Assert.Equal(0, (await CliRunner.Run(work.Path, cs, "db", "status")).ExitCode);
            var again = await CliRunner.Run(work.Path, cs, "db", "migrate", "--catalogue-schema", catalogue);
            Assert.Contains("nothing changed", again.Output);
            Assert.Contains($"catalogue (schema {catalogue}) already current", again.Output);
        }
        finally
        {
            await TestDatabase.DropSchema(catalogue);
        }

        await using var foreign = await TestClusterDatabase.Create();
        await foreign.Execute("CREATE TABLE OrleansQuery (id int PRIMARY KEY, body text)");
        var refused = await CliRunner.Run(work.Path, new Dictionary<string, string> { [Vitrina.Client.Commands.Cluster.ConnectionVariable] = foreign.ConnectionString }, "db", "migrate");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("orleansquery", refused.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await foreign.Count("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'vitrina_schema_version'"));
    }

    [Fact]
    public async Task A_cluster_command_with_no_silo_to_answer_says_so_with_exit_code_2()
    {
        using var work = new TempFolder();

        var result = await CliRunner.Run(work.Path, "accounts", "list", "--gateway", FreePorts.Next().ToString());

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no Vitrina silo answers on gateway port", result.Error);
    }
}
