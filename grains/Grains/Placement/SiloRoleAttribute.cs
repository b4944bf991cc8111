using Orleans.Placement;

namespace Vitrina.Grains.Placement;

/// <summary>Places a grain type only on silos that run <paramref name="role"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloRoleAttribute(string role) : PlacementFilterAttribute(new SiloRoleFilterStrategy(role));
