namespace Vitrina.Images;

/// <summary>One image (key: its image id). Fetches, prepares and classifies it, then files it in the catalogue.</summary>
[Alias("Vitrina.IImageGrain")]
public interface IImageGrain : IGrainWithStringKey
{
    /// <summary>
    /// Processes the image and files it. A repeat processes it again and updates the same catalogue row (keyed by image
    /// id), so nothing is counted twice.
    /// </summary>
    [Alias("Process")]
    Task<ImageOutcome> Process(ImageWork work);

    /// <summary>The photo's bytes, fetched again from where the catalogue says it was found.</summary>
    [Alias("Photo")]
    Task<byte[]> Photo(ImageWork work);
}
