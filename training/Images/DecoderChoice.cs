namespace Vitrina.Training.Images;

/// <summary>Which decoder turns a JPEG into pixels inside <see cref="ImagePreparation.Prepare(ReadOnlySpan{byte}, PreparationSettings)"/>.</summary>
public enum DecoderChoice
{
    /// <summary>
    /// The default: libjpeg-turbo through SkiaSharp for JPEGs at least twice the model input on both sides, decoded at a
    /// reduced scale (1/2, 1/4 or 1/8), so a 1080 px Instagram photo bound for 160 px never exists at full size (3.6x
    /// the photos per core); ImageSharp for everything smaller, which is every photo the models were trained on, so those
    /// decode exactly as in training. On Instagram-sized versions of the val photos both decoders score alike
    /// (docs/benchmarks.md, "Image preparation").
    /// </summary>
    Auto,

    /// <summary>ImageSharp for everything, as training decodes; for comparisons.</summary>
    ImageSharp,

    /// <summary>
    /// libjpeg-turbo for every JPEG, also those too small to shrink on load (no faster there; the model scored slightly,
    /// not significantly, lower on those decodes); for comparisons. ImageSharp still for other formats and for JPEGs
    /// Skia declines.
    /// </summary>
    Skia,
}
