namespace Vitrina.Training.Data;

/// <summary>One labelled photo: its path and its colour and/or category (null when the row has none).</summary>
public sealed record LabelledImage(string Path, string? Colour, string? Category, string Split, int Row);
