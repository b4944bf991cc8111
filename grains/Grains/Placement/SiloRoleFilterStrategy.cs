using Orleans.Metadata;
using Orleans.Placement;
using Orleans.Runtime;

namespace Vitrina.Grains.Placement;

/// <summary>The role a grain type needs, carried in its grain properties so every silo filters the same way.</summary>
public sealed class SiloRoleFilterStrategy : PlacementFilterStrategy
{
    private const string RoleProperty = "role";

    public SiloRoleFilterStrategy()
        : base(order: 0)
    {
    }

    public SiloRoleFilterStrategy(string role)
        : base(order: 0) => Role = role;

    public string Role { get; private set; } = "";

    public override void AdditionalInitialize(GrainProperties properties) =>
        Role = GetPlacementFilterGrainProperty(RoleProperty, properties)
            ?? throw new ArgumentException($"grain type {properties} has a {nameof(SiloRoleFilterStrategy)} without a role");

    protected override IEnumerable<KeyValuePair<string, string>> GetAdditionalGrainProperties(
        IServiceProvider services, Type grainClass, GrainType grainType, IReadOnlyDictionary<string, string> existingProperties)
    {
        yield return new(RoleProperty, Role);
    }
}
