using Vitrina.Grains.Hosting;
using Vitrina.Grains.Placement;

namespace Vitrina.Grains.Accounts;

/// <summary>Keeps one shard of the handles of onboarded accounts, for listing them, and the state each last reported.</summary>
[SiloRole(SiloRoles.Ingest)]
public sealed class AccountRegistryGrain(
    [PersistentState("account-registry", GrainStateStorage.Name)] IPersistentState<SortedSet<string>> handles,
    [PersistentState("account-states", GrainStateStorage.Name)] IPersistentState<Dictionary<string, AccountState>> states) : Grain, IAccountRegistryGrain
{
    public async Task Register(string handle)
    {
        if (handles.State.Add(handle))
        {
            await SaveOrUndo(handles, () => handles.State.Remove(handle));
        }
    }

    public async Task Unregister(string handle)
    {
        if (handles.State.Remove(handle))
        {
            await SaveOrUndo(handles, () => handles.State.Add(handle));
        }

        if (states.State.Remove(handle, out var last))
        {
            await SaveOrUndo(states, () => states.State[handle] = last);
        }
    }

    public async Task Report(string handle, AccountState state)
    {
        var had = states.State.TryGetValue(handle, out var last);
        if (!had || last != state)
        {
            states.State[handle] = state;
            await SaveOrUndo(states, () =>
            {
                if (had)
                {
                    states.State[handle] = last;
                }
                else
                {
                    states.State.Remove(handle);
                }
            });
        }
    }

    /// <summary>
    /// A failed write is undone in memory: the caller's retry then finds the change still to do and writes it, instead of
    /// finding it done and leaving storage without it.
    /// </summary>
    private static async Task SaveOrUndo<T>(IPersistentState<T> state, Action undo)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            undo();
            throw;
        }
    }

    public Task<IReadOnlyList<string>> List(AccountState? state) => Task.FromResult<IReadOnlyList<string>>(
        handles.State.Where(h => state is not { } wanted || (states.State.TryGetValue(h, out var s) && s == wanted)).ToList());

    /// <summary>Registered accounts only: a report that raced an account's removal is not counted.</summary>
    public Task<AccountTally> Tally()
    {
        int Count(AccountState state) => handles.State.Count(h => states.State.TryGetValue(h, out var s) && s == state);
        return Task.FromResult(new AccountTally
        {
            Active = Count(AccountState.Active),
            Failing = Count(AccountState.Failing),
            Paused = Count(AccountState.Paused),
            Parked = Count(AccountState.Parked),
            Unreported = handles.State.Count(h => !states.State.ContainsKey(h)),
        });
    }
}
