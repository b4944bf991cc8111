using Orleans.Concurrency;
using Vitrina.Classification;
using Vitrina.Grains.Classification;

namespace Vitrina.Benchmarks;

/// <summary>
/// Stands in for a GPU that keeps up, in <c>vitrina-bench pipeline --instant-classifier</c>: every photo is answered
/// at once, with the first class of each task of the model in service. On a machine without a GPU, the pipeline's CPU
/// side (fetch, prepare, grain calls, catalogue) is then measured alone, as it runs on a GPU silo; issue 4's per-core
/// goal compares that side with decoding. Photos are still prepared for the real model's input.
/// </summary>
[Reentrant]
public sealed class InstantClassifierGrain(ModelHost host) : Grain, IClassifierGrain
{
    private ModelInfo? model;

    public async Task<ClassificationResult> Classify(ClassifyRequest request, CancellationToken cancellation)
    {
        var answer = model ??= await host.Info(cancellation);
        return new ClassificationResult
        {
            Colour = answer.Colours[0],
            ColourProbability = 0.9f,
            Category = answer.Categories[0],
            CategoryProbability = 0.9f,
            ModelVersion = answer.Version,
        };
    }

    public Task<ModelInfo> GetModel() => host.Info();
}
