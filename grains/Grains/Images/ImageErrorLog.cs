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
}
