using Vitrina.Training.Images;

namespace Vitrina.Grains.Classification;

/// <summary>
/// A photo waiting in the model host's queue, with the resize mode it was prepared with, the
/// <see cref="System.Diagnostics.Stopwatch"/> ticks when it arrived, and whether its caller still waits for it.
/// </summary>
internal sealed record PendingRequest(PreparedImage Image, string Resize, long Enqueued, CancellationToken Cancellation)
{
    public TaskCompletionSource<ClassificationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the photo was prepared as <paramref name="preparation"/> asks.</summary>
    public bool Fits(PreparationSettings preparation) =>
        Image.Width == preparation.Size && Image.Height == preparation.Size && Resize == preparation.Resize.ToString();
}
