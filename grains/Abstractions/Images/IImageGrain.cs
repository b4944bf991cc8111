namespace Vitrina.Images;

/// <summary>One image (key: its image id). Fetches, prepares and classifies it, then files it in the catalogue.</summary>
[Alias("Vitrina.IImageGrain")]
public interface IImageGrain : IGrainWithStringKey
{
    /// <summary>Processes the image once; a repeated call returns the first outcome and changes nothing.</summary>
    [Alias("Process")]
    Task<ImageOutcome> Process(ImageWork work);

    [Alias("GetOutcome")]
    Task<ImageOutcome?> GetOutcome();

    /// <summary>The photo's bytes, fetched again from where it was found; null for an image never processed.</summary>
    [Alias("Photo")]
    Task<byte[]?> Photo();
}
