using Vitrina.Grains.Diagnostics;
using Vitrina.Images;

namespace Vitrina.Grains.Images;

/// <summary>
/// Photos that stopped for a reason of the system's rather than the photo's (the catalogue's database down, a model
/// that throws, a bug): logged with the photo and the stack, since the account that retries the post keeps only a
/// line of text; alike ones at most once a minute per silo (<see cref="RepeatedErrors"/>).
/// </summary>
public sealed class ImageErrorLog(ILogger<ImageErrorLog> logger)
{
    private readonly RepeatedErrors repeated = new();

    public void Report(ImageWork work, Exception e)
    {
        var kind = RepeatedErrors.KindOf(e);
        if (repeated.ShouldLog(kind, out var leftOut))
        {
            logger.LogError(e, "Image {ImageId} of account {Account}, post {PostId} was not processed ({ErrorType}); its account tries the post again. " +
                "{LeftOut} more such errors on this silo since the last one logged were counted (vitrina.image.errored), not logged",
                work.ImageId, work.Account, work.PostId, kind, leftOut);
        }
    }

    /// <summary>
    /// A decoder that threw on a photo, which is filed as Failed: usually the photo's damage, but a bug in the decoding
    /// path (a new build, a native library) fails every photo alike, and the per-photo warning carries no stack.
    /// </summary>
    public void ReportDecoderFault(ImageWork work, Exception fault)
    {
        var kind = $"decoder {RepeatedErrors.KindOf(fault)}";
        if (repeated.ShouldLog(kind, out var leftOut))
        {
            logger.LogWarning(fault, "The decoder threw on image {ImageId} of account {Account}, post {PostId} ({ErrorType}), which is filed as Failed; " +
                "{LeftOut} more photos failed alike on this silo since the last one logged", work.ImageId, work.Account, work.PostId, kind, leftOut);
        }
    }
}
