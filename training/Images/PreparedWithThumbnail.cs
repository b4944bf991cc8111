namespace Vitrina.Training.Images;

/// <summary>A photo ready for the model, and its JPEG thumbnail for the catalogue's shelves.</summary>
public sealed record PreparedWithThumbnail(PreparedImage Input, byte[] Thumbnail);
