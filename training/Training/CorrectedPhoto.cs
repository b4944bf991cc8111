using Vitrina.Training.Images;

namespace Vitrina.Training.Training;

/// <summary>
/// A photo a moderator labelled: its pixels as the current model prepares them, and the labels given, or
/// <paramref name="Outside"/> when the moderator judged it none of the catalogue's categories (then it has no labels).
/// </summary>
public sealed record CorrectedPhoto(string ImageId, PreparedImage Image, string? Colour, string? Category, bool Outside = false);
