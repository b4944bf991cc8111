namespace Vitrina.Grains.Storage;

/// <summary>What <see cref="ClusterSchema.Inspect"/> found in a database.</summary>
public enum SchemaStatus
{
    /// <summary>No Orleans tables at all: <see cref="ClusterSchema.Apply"/> will create them.</summary>
    Empty,

    /// <summary>Our schema, at the version this build expects.</summary>
    Current,

    /// <summary>Our schema at an earlier version: <see cref="ClusterSchema.Apply"/> brings it up to date.</summary>
    Older,

    /// <summary>Our schema from a later build: this build must not touch it.</summary>
    Newer,

    /// <summary>Orleans tables that we did not create (another script, another application).</summary>
    Foreign,
}

/// <param name="Version">The version recorded in the database, when there is one.</param>
/// <param name="Detail">One or two sentences for an operator: what is there and what to do about it.</param>
public sealed record SchemaState(SchemaStatus Status, int? Version, string Detail);
