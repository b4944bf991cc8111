namespace Vitrina.Images;

/// <summary>
/// Fetches, prepares and classifies images, then files them in the catalogue. A stateless worker: always use key
/// <see cref="Key"/>; each silo runs up to one activation per core, on the silo of the account grain that calls it.
/// </summary>
[Alias("Vitrina.IImageGrain")]
public interface IImageGrain : IGrainWithIntegerKey
{
    /// <summary>The one key: the work carries the image's identity, the grain none.</summary>
    const long Key = 0;

    /// <summary>
    /// Processes the image and files it. A repeat processes it again and updates the same catalogue row (keyed by image
    /// id), so nothing is counted twice.
    /// </summary>
    [Alias("Process")]
    Task<ImageOutcome> Process(ImageWork work);

    /// <summary>
    /// The photo's bytes, fetched again from where the catalogue says it was found; a <see cref="TimeoutException"/> past
    /// the work's deadline.
    /// </summary>
    [Alias("Photo")]
    Task<byte[]> Photo(ImageWork work);

    /// <summary>
    /// Makes the photo's thumbnail again, from its bytes fetched again and decoded as for the model in service, and
    /// files it: for photos filed before thumbnails were kept. Throws what fetching or decoding throws, and a
    /// <see cref="TimeoutException"/> past the work's deadline.
    /// </summary>
    [Alias("RenewThumbnail")]
    Task RenewThumbnail(ImageWork work);
}
