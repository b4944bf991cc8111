using Orleans.Concurrency;

namespace Vitrina.Grains.Classification;

/// <summary>
/// The entry to the silo's <see cref="ModelHost"/>: a reentrant stateless worker, so concurrent requests from many
/// image grains reach the batcher together instead of one at a time.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class ClassifierGrain(ModelHost host) : Grain, IClassifierGrain
{
    public Task<ClassificationResult> Classify(ClassifyRequest request) => host.Classify(request);

    public Task<ModelInfo> GetModel() => Task.FromResult(host.Info());
}
