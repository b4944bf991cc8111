using Orleans.Placement;

namespace Vitrina.Grains.Placement;

/// <summary>Runs after the role filter (order 1), so it chooses among silos that already run the grain's role.</summary>
public sealed class PreferGpuFilterStrategy() : PlacementFilterStrategy(order: 1);
