using Orleans.Concurrency;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Vitrina.Grains.Placement;

namespace Vitrina.Grains.Classification;

/// <summary>
/// The entry to its silo's <see cref="ModelHost"/>: a pool of reentrant activations (see <see cref="GrainPool"/>)
/// placed only on classify silos, on GPU silos when there are any. Concurrent requests from many image grains reach
/// the silo's batcher together instead of one at a time.
/// </summary>
[Reentrant, SiloRole(SiloRoles.Classify), PreferGpuSilos]
public sealed class ClassifierGrain(ModelHost host, ISiloMetadataCache metadata, IClusterMembershipService membership, ILocalSiloDetails silo)
    : Grain, IClassifierGrain
{
    /// <summary>How often an activation on a CPU silo looks for a GPU classify silo to make way for.</summary>
    private static readonly TimeSpan GpuCheck = TimeSpan.FromSeconds(10);

    public Task<ClassificationResult> Classify(ClassifyRequest request, CancellationToken cancellation) => host.Classify(request, cancellation);

    public Task<ModelInfo> GetModel() => host.Info();

    /// <summary>
    /// Placement saw no GPU classify silo when it put this activation on a CPU one; a GPU silo that joins or restarts
    /// later would otherwise stay idle for as long as this activation is kept busy, which is for ever under load.
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!PreferGpuFilterDirector.HasGpu(metadata, silo.SiloAddress))
        {
            this.RegisterGrainTimer(MakeWayForGpu, new GrainTimerCreationOptions(GpuCheck, GpuCheck) { Interleave = true });
        }

        return Task.CompletedTask;
    }

    /// <summary>Moves, once its requests in flight are answered, to the silo placement picks now: the GPU one.</summary>
    private Task MakeWayForGpu(CancellationToken cancellation)
    {
        var gpuSilo = membership.CurrentSnapshot.Members.Values.Any(m =>
            m.Status == SiloStatus.Active
            && PreferGpuFilterDirector.HasGpu(metadata, m.SiloAddress)
            && SiloRoleFilterDirector.HasRole(metadata, m.SiloAddress, SiloRoles.Classify));
        if (gpuSilo)
        {
            this.MigrateOnIdle(); // a plain deactivation came back to this silo, where callers' cached addresses pointed
        }

        return Task.CompletedTask;
    }
}
