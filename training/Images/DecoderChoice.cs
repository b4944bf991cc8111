namespace Vitrina.Training.Images;

/// <summary>Which decoder turns a JPEG into pixels inside <see cref="ImagePreparation.Prepare(ReadOnlySpan{byte}, PreparationSettings)"/>.</summary>
public enum DecoderChoice
{
    /// <summary>
    /// The default: ImageSharp for everything, the decoder the shipped model was trained with. A model scores best on
    /// photos decoded as its training photos were (docs/benchmarks.md: the shipped model loses 0.6 points of category
    /// accuracy on Skia decodes).
    /// </summary>
    ImageSharp,

    /// <summary>
    /// Opt-in: libjpeg-turbo through SkiaSharp for JPEGs, decoding at a reduced scale when the photo is larger than the
    /// model input (4x the photos per core on 1080 px photos, no gain on the small data-set photos); ImageSharp for every
    /// other format and for JPEGs Skia declines. Train and evaluate with it before serving with it.
    /// </summary>
    Skia,
}
