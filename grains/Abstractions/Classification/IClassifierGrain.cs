namespace Vitrina.Classification;

/// <summary>
/// The classifier of the silo it runs on (a stateless worker): requests are queued on the silo's model host and
/// answered from batched forward passes.
/// </summary>
[Alias("Vitrina.IClassifierGrain")]
public interface IClassifierGrain : IGrainWithIntegerKey
{
    [Alias("Classify")]
    Task<ClassificationResult> Classify(ClassifyRequest request);

    [Alias("GetModel")]
    Task<ModelInfo> GetModel();
}
