namespace Vitrina.Grains.Accounts;

/// <summary>Keeps the handles of onboarded accounts, for listing them.</summary>
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

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(handles.State.ToList());
}
