using Orleans.Concurrency;
using Vitrina.Grains.Placement;

namespace Vitrina.Grains.Classification;

/// <summary>
/// The entry to its silo's <see cref="ModelHost"/>: a pool of reentrant activations (see <see cref="GrainPool"/>)
/// placed only on classify silos, on GPU silos when there are any. Concurrent requests from many image grains reach
/// the silo's batcher together instead of one at a time.
/// </summary>
[Reentrant, SiloRole(SiloRoles.Classify), PreferGpuSilos]
public sealed class ClassifierGrain(ModelHost host) : Grain, IClassifierGrain
{
    public Task<ClassificationResult> Classify(ClassifyRequest request, CancellationToken cancellation) => host.Classify(request, cancellation);

    public Task<ModelInfo> GetModel() => Task.FromResult(host.Info());
}
