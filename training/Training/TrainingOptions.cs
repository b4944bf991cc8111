namespace Vitrina.Training.Training;

/// <summary>Settings shared by the training commands; the defaults are the full runs documented in docs/accuracy.md.</summary>
public sealed record TrainingOptions
{
    /// <summary>A labelled folder (labels.csv with a split column, or one folder per class).</summary>
    public required string DataFolder { get; init; }

    public int? Epochs { get; init; }

    /// <summary>Epochs for the paper's Model 2 when they must differ from <see cref="Epochs"/> (its 30 x 100 augmented steps take hours on 2 cores).</summary>
    public int? CategoryEpochs { get; init; }

    /// <summary>Use at most this many photos per split (tests and smoke runs).</summary>
    public int? Limit { get; init; }

    /// <summary>Overrides the paper's steps per epoch (17 for colour, 100 for category) for smoke runs.</summary>
    public int? StepsPerEpoch { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>Whether the new version becomes the one silos serve.</summary>
    public bool MakeCurrent { get; init; } = true;

    /// <summary>Amateur photos whose blurred colours become backgrounds in the garment augmentation.</summary>
    public string? BackgroundsFolder { get; init; }

    /// <summary>Amateur clothing photos with a labels.csv (file, label), e.g. shared/data/clothing-cc0; see <see cref="AmateurPhotos"/>.</summary>
    public string? AmateurFolder { get; init; }

    /// <summary>Weight of the loss on amateur photos ("not Bags, not Decorations", tops "not Dresses, not Suits") against the catalogue loss.</summary>
    public double AmateurWeight { get; init; } = 0.3;

    /// <summary>
    /// Garment model: after measuring the heads on val, fit them again with the same settings on train + val (and every
    /// amateur photo) and save those, with the measured figures. The recipe is chosen on val; the shipped model then
    /// learns from all the labelled photos there are.
    /// </summary>
    public bool RefitWithVal { get; init; }

    /// <summary>Where computed backbone features are kept between training runs.</summary>
    public string CacheFolder { get; init; } = Path.Combine("var", "cache", "features");

    public int ColourThreshold { get; init; } = Data.ClassList.PaperColourThreshold;
    public int CategoryThreshold { get; init; } = Data.ClassList.PaperCategoryThreshold;
}
