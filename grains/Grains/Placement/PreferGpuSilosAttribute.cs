using Orleans.Placement;

namespace Vitrina.Grains.Placement;

/// <summary>Among the candidate silos, places the grain on GPU silos when there are any, else on any of them.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class PreferGpuSilosAttribute() : PlacementFilterAttribute(new PreferGpuFilterStrategy());
