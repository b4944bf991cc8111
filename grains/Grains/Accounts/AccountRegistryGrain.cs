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
            await SaveOrUndo(() => handles.State.Remove(handle));
        }
    }

    public async Task Unregister(string handle)
    {
        if (handles.State.Remove(handle))
        {
            await SaveOrUndo(() => handles.State.Add(handle));
        }
    }

    /// <summary>
    /// A failed write is undone in memory: the caller's retry then finds the change still to do and writes it, instead of
    /// finding it done and leaving storage without it.
    /// </summary>
    private async Task SaveOrUndo(Action undo)
    {
        try
        {
            await handles.WriteStateAsync();
        }
        catch
        {
            undo();
            throw;
        }
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(handles.State.ToList());
}
