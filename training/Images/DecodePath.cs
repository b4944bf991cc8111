namespace Vitrina.Training.Images;

/// <summary>Which decoder a <see cref="DecodePlan"/> gives a photo to.</summary>
internal enum DecodePath
{
    /// <summary>ImageSharp, at full size: every format but the two below.</summary>
    ImageSharp,

    /// <summary>libjpeg-turbo through SkiaSharp, at a reduced scale where the photo allows (<see cref="SkiaJpegDecoder"/>); ImageSharp if Skia declines.</summary>
    SkiaJpeg,

    /// <summary>The first frame of an animated WebP, through SkiaSharp (<see cref="AnimatedWebp"/>).</summary>
    AnimatedWebpFirstFrame,
}
