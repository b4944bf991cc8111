using Vitrina.Tests.Support;
using Vitrina.Training;
using Vitrina.Training.Data;
using Vitrina.Training.Training;

namespace Vitrina.Tests.Training;

public sealed class DatasetTests
{
    [Fact]
    public void Reads_labels_csv_with_quoted_fields_and_splits()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.Combine("a.jpg"), [1]);
        File.WriteAllBytes(folder.Combine("b.jpg"), [1]);
        File.WriteAllText(folder.Combine("labels.csv"),
            "id,file,productDisplayName,colour,category,split\n1,a.jpg,\"Bag, black \"\"leather\"\"\",Black,Bags,train\n2,b.jpg,Dress,,Dresses,val\n");
        var data = LabelledDataset.Load(folder.Path, Taxonomy.Paper.Colours, Taxonomy.Paper.Categories);
        Assert.Equal(2, data.Images.Count);
        Assert.Equal("Black", data.Images[0].Colour);
        Assert.Null(data.Images[1].Colour);
        Assert.Equal("Dresses", data.Split("val").Single().Category);
    }

    [Fact]
    public void Unknown_classes_and_missing_files_name_their_rows()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.Combine("a.jpg"), [1]);
        File.WriteAllText(folder.Combine("labels.csv"), "file,colour,category\na.jpg,Mauve,Bags\nmissing.jpg,Black,Hats\n");
        var e = Assert.Throws<DatasetException>(() => LabelledDataset.Load(folder.Path, Taxonomy.Paper.Colours, Taxonomy.Paper.Categories));
        Assert.Contains("row 2: unknown colour 'Mauve'", e.Message);
        Assert.Contains("row 3: file", e.Message);
        Assert.Contains("missing.jpg is missing", e.Message);
        Assert.Contains("row 3: unknown category 'Hats'", e.Message);
    }

    [Fact]
    public void A_quote_inside_a_field_is_a_character_and_an_unclosed_quote_names_its_line()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "a.jpg", "b.jpg", "c.jpg" })
        {
            File.WriteAllBytes(folder.Combine(name), [1]);
        }

        // Read as an opening quote, the inch mark took rows b and c into a's note, and they were gone without a word.
        File.WriteAllText(folder.Combine("labels.csv"), "file,colour,category,note\r\na.jpg,Black,Bags,12\" strap\r\nb.jpg,Blue,Dresses,\r\nc.jpg,Blue,Dresses,\r\n");
        var data = LabelledDataset.Load(folder.Path, Taxonomy.Paper.Colours, Taxonomy.Paper.Categories);
        Assert.Equal(["a.jpg", "b.jpg", "c.jpg"], data.Images.Select(i => Path.GetFileName(i.Path)));

        File.WriteAllText(folder.Combine("labels.csv"), "file,colour,category\na.jpg,Black,Bags\n\"b.jpg,Blue,Dresses\nc.jpg,Blue,Dresses\n");
        var unclosed = Assert.Throws<DatasetException>(() => LabelledDataset.Load(folder.Path, Taxonomy.Paper.Colours, Taxonomy.Paper.Categories));
        Assert.Contains("line 3: a quoted field opened here never closes", unclosed.Message);

        File.WriteAllText(folder.Combine("labels.csv"), "file,colour,category\n\"a.jpg\"x,Black,Bags\n");
        var trailing = Assert.Throws<DatasetException>(() => LabelledDataset.Load(folder.Path, Taxonomy.Paper.Colours, Taxonomy.Paper.Categories));
        Assert.Contains("line 2: 'x' follows a closing quote", trailing.Message);
    }

    [Fact]
    public void Repeated_files_rows_without_a_file_and_missing_label_columns_are_errors_but_empty_rows_are_not()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.Combine("a.jpg"), [1]);
        Assert.Contains("row 4: file", Load("file,colour,category,split\na.jpg,Black,Bags,train\n,,,\n a.jpg ,Blue,Bags,val\n"));
        Assert.Contains("is already listed (row 2)", Load("file,colour,category,split\na.jpg,Black,Bags,train\n,,,\n a.jpg ,Blue,Bags,val\n"));
        Assert.Contains("row 3: no file name", Load("file,colour,category\na.jpg,Black,Bags\n,Blue,Bags\n"));
        Assert.Contains("neither a 'colour' nor a 'category' column ('color' is spelt 'colour' here)", Load("file,color\na.jpg,Black\n"));

        File.WriteAllText(folder.Combine("labels.csv"), "file,colour,category\na.jpg,Black,Bags\n,,\n  \n");
        Assert.Single(LabelledDataset.Load(folder.Path, Taxonomy.Paper.Colours, Taxonomy.Paper.Categories).Images);

        string Load(string csv)
        {
            File.WriteAllText(folder.Combine("labels.csv"), csv);
            return Assert.Throws<DatasetException>(() => LabelledDataset.Load(folder.Path, Taxonomy.Paper.Colours, Taxonomy.Paper.Categories)).Message;
        }
    }

    [Fact]
    public void Training_refuses_split_names_it_would_leave_out()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.Combine("a.jpg"), [1]);
        File.WriteAllBytes(folder.Combine("b.jpg"), [1]);
        File.WriteAllBytes(folder.Combine("c.jpg"), [1]);
        File.WriteAllText(folder.Combine("labels.csv"), "file,colour,category,split\na.jpg,Black,Bags,train\nb.jpg,Blue,Bags,dev\nc.jpg,Blue,Bags,test\n");

        var e = Assert.Throws<DatasetException>(() => DatasetSplits.From(new TrainingOptions { DataFolder = folder.Path }));

        Assert.Contains("'dev' (1 rows, first row 3)", e.Message);
        Assert.DoesNotContain("'test'", e.Message); // held back on purpose
    }

    [Fact]
    public void Reads_one_folder_per_class()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Combine("Blue"));
        Directory.CreateDirectory(folder.Combine("Dresses"));
        Directory.CreateDirectory(folder.Combine("Decorations_jewellery"));
        File.WriteAllBytes(folder.Combine("Blue", "1.jpg"), [1]);
        File.WriteAllBytes(folder.Combine("Dresses", "2.png"), [1]);
        File.WriteAllBytes(folder.Combine("Dresses", "notes.txt"), [1]);
        File.WriteAllBytes(folder.Combine("Decorations_jewellery", "3.jpg"), [1]);
        var data = LabelledDataset.Load(folder.Path, Taxonomy.Paper.Colours, Taxonomy.Paper.Categories);
        Assert.Equal(3, data.Images.Count);
        Assert.Equal("Blue", data.Images.Single(i => i.Path.EndsWith("1.jpg")).Colour);
        Assert.Equal("Dresses", data.Images.Single(i => i.Path.EndsWith("2.png")).Category);
        Assert.Equal("Decorations/jewellery", data.Images.Single(i => i.Path.EndsWith("3.jpg")).Category);
        // A photo in a colour's folder may well show a dress: the taxonomy gate must not learn it as none of the categories.
        Assert.Equal([true, false, false], data.Images.OrderBy(i => Path.GetFileName(i.Path)).Select(i => i.CategoryUnknown));
    }

    [Fact]
    public void Class_list_keeps_classes_above_the_threshold_in_taxonomy_order()
    {
        var labels = Enumerable.Repeat("Black", 90).Concat(Enumerable.Repeat("Beige", 80)).Concat(Enumerable.Repeat("Pink", 79));
        Assert.Equal(["Beige", "Black"], ClassList.FromLabels(labels, ClassList.PaperColourThreshold, Taxonomy.Paper.Colours));
    }

    [Fact]
    public void A_labels_file_without_a_category_column_says_nothing_of_the_categories()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.Combine("a.jpg"), [1]);
        File.WriteAllText(folder.Combine("labels.csv"), "file,colour,category\na.jpg,Black,\n");
        File.WriteAllText(folder.Combine("colours.csv"), "file,colour\na.jpg,Black\n");

        var empty = LabelledDataset.Load(folder.Path).Images.Single();
        File.Move(folder.Combine("colours.csv"), folder.Combine("labels.csv"), overwrite: true);
        var absent = LabelledDataset.Load(folder.Path).Images.Single();

        Assert.False(empty.CategoryUnknown); // an empty cell: none of the categories, which the taxonomy gate is scored on
        Assert.True(absent.CategoryUnknown); // no column: unknown, not "outside the categories"
    }

    [Fact]
    public void Labels_of_classes_below_the_threshold_are_dropped_from_both_splits_and_validation_counts_as_val()
    {
        using var folder = new TempFolder();
        var rows = new List<string> { "file,colour,category,split" };
        for (var i = 0; i < 12; i++)
        {
            File.WriteAllBytes(folder.Combine($"{i}.jpg"), [1]);
            // Train: 4 Black, 4 White, 2 Pink (below a threshold of 3); validation: one of each.
            var (colour, split) = i switch { < 4 => ("Black", "train"), < 8 => ("White", "train"), < 10 => ("Pink", "train"), 10 => ("Pink", "validation"), _ => ("Black", "validation") };
            rows.Add($"{i}.jpg,{colour},{(i % 2 == 0 ? "Bags" : "Dresses")},{split}");
        }

        File.WriteAllText(folder.Combine("labels.csv"), string.Join('\n', rows));
        var splits = DatasetSplits.From(new TrainingOptions { DataFolder = folder.Path, ColourThreshold = 3, CategoryThreshold = 3 });

        Assert.Equal(["White", "Black"], splits.Colours);
        Assert.Equal(2, splits.Val.Count); // the "validation" rows are the val split, not dropped
        Assert.Null(splits.Val.Single(r => r.Path.EndsWith("10.jpg")).Colour); // Pink is no class of this model: not a miss it cannot avoid
        Assert.Equal("Bags", splits.Val.Single(r => r.Path.EndsWith("10.jpg")).Category);
        Assert.All(splits.Train, r => Assert.NotEqual("Pink", r.Colour));
    }
}
