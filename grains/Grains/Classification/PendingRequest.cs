using Vitrina.Training.Images;

namespace Vitrina.Grains.Classification;

/// <summary>A photo waiting in the model host's queue, stamped (<see cref="System.Diagnostics.Stopwatch"/> ticks) when it arrived.</summary>
internal sealed record PendingRequest(PreparedImage Image, long Enqueued)
{
    public TaskCompletionSource<ClassificationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
