using Vitrina.Training.Images;

namespace Vitrina.Training.Training;

/// <summary>A photo a moderator labelled: its pixels as the current model prepares them, and the labels given.</summary>
public sealed record CorrectedPhoto(string ImageId, PreparedImage Image, string? Colour, string? Category);
