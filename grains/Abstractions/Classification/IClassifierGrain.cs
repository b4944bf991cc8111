namespace Vitrina.Classification;

/// <summary>
/// A classifier, one of a pool keyed 0..N-1 and placed on classify silos: requests are queued on its silo's model host
/// and answered from batched forward passes.
/// </summary>
[Alias("Vitrina.IClassifierGrain")]
public interface IClassifierGrain : IGrainWithIntegerKey
{
    /// <summary>A request cancelled while it waits in the queue is dropped before its batch runs.</summary>
    [Alias("Classify")]
    Task<ClassificationResult> Classify(ClassifyRequest request, CancellationToken cancellation = default);

    [Alias("GetModel")]
    Task<ModelInfo> GetModel();
}
