namespace Vitrina.Accounts;

/// <summary>Which registry shard holds a handle, and the whole list gathered from every shard.</summary>
public static class AccountRegistry
{
    public const int Shards = 64;

    public static IAccountRegistryGrain For(IGrainFactory grains, string handle) =>
        grains.GetGrain<IAccountRegistryGrain>($"accounts-{StableHash.Of(handle) % Shards}");

    /// <param name="state">Only the accounts last reported in this state.</param>
    public static async Task<IReadOnlyList<string>> ListAll(IGrainFactory grains, AccountState? state = null)
    {
        var shards = await Task.WhenAll(AllShards(grains).Select(s => s.List(state)));
        return shards.SelectMany(s => s).Order(StringComparer.Ordinal).ToList();
    }

    public static async Task<AccountTally> Tally(IGrainFactory grains) =>
        (await Task.WhenAll(AllShards(grains).Select(s => s.Tally()))).Aggregate(new AccountTally(), (sum, shard) => sum + shard);

    private static IEnumerable<IAccountRegistryGrain> AllShards(IGrainFactory grains) =>
        Enumerable.Range(0, Shards).Select(i => grains.GetGrain<IAccountRegistryGrain>($"accounts-{i}"));
}
