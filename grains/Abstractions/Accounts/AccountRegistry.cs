namespace Vitrina.Accounts;

/// <summary>Which registry shard holds a handle, and the whole list gathered from every shard.</summary>
public static class AccountRegistry
{
    public const int Shards = 64;

    public static IAccountRegistryGrain For(IGrainFactory grains, string handle) =>
        grains.GetGrain<IAccountRegistryGrain>($"accounts-{StableHash.Of(handle) % Shards}");

    public static async Task<IReadOnlyList<string>> ListAll(IGrainFactory grains)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, Shards).Select(i => grains.GetGrain<IAccountRegistryGrain>($"accounts-{i}").List()));
        return shards.SelectMany(s => s).Order(StringComparer.Ordinal).ToList();
    }
}
