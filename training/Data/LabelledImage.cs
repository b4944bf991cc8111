namespace Vitrina.Training.Data;

/// <summary>One labelled photo: its path and its colour and/or category (null when the row has none).</summary>
/// <param name="CategoryUnknown">
/// A missing category says nothing (a photo in a colour's class folder): the photo is not taken for one of something
/// outside the categories, as a labels.csv row with an empty category is, when the taxonomy gate learns and is scored.
/// </param>
public sealed record LabelledImage(string Path, string? Colour, string? Category, string Split, int Row, bool CategoryUnknown = false);
