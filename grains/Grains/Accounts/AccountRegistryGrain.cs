using Vitrina.Grains.Placement;

namespace Vitrina.Grains.Accounts;

/// <summary>Keeps one shard of the handles of onboarded accounts, for listing them.</summary>
[SiloRole(SiloRoles.Ingest)]
public sealed class AccountRegistryGrain(
    [PersistentState("account-registry", "vitrina")] IPersistentState<SortedSet<string>> handles) : Grain, IAccountRegistryGrain
{
    public async Task Register(string handle)
    {
        if (handles.State.Add(handle))
        {
            await handles.WriteStateAsync();
        }
    }

    public async Task Unregister(string handle)
    {
        if (handles.State.Remove(handle))
        {
            await handles.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(handles.State.ToList());
}
