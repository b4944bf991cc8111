namespace Vitrina.Grains.Placement;

/// <summary>
/// Spreads work over a fixed pool of integer-keyed grains (classifiers, catalogue writers). Unlike stateless workers,
/// which always activate on the caller's silo, pooled grains go through placement, so role and GPU filters apply.
/// </summary>
public static class GrainPool
{
    /// <summary>A stable pool slot for <paramref name="key"/>.</summary>
    public static long Slot(string key, int size) => StableHash.Of(key) % (uint)Math.Max(size, 1);
}
