namespace Vitrina.Grains.Storage;

/// <summary>What <see cref="ClusterSchema.Apply"/> did.</summary>
/// <param name="Before">The state found under the lock, before any script ran.</param>
/// <param name="Version">The version the database carries now.</param>
/// <param name="Scripts">The scripts run, in order.</param>
/// <param name="QueryCount">Rows in OrleansQuery afterwards.</param>
public sealed record SchemaReport(SchemaState Before, int Version, IReadOnlyList<string> Scripts, int QueryCount, TimeSpan Elapsed);
