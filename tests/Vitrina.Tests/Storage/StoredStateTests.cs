using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Vitrina.Accounts;
using Vitrina.Grains.Accounts;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Storage;

/// <summary>
/// Grain state as PostgreSQL keeps it, through the silo's own storage serializer. The fixtures were written by the
/// builds of November 2026 (Orleans' default JSON, with .NET type names): an upgrade must read every field of them,
/// so a renamed member or a moved type fails here rather than in a cluster whose accounts no longer activate.
/// </summary>
public sealed class StoredStateTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-11-29T10:00:00Z");
    private readonly TestDatabase database = new();
    private readonly TempFolder models = new();
    private VitrinaTestCluster? cluster;

    private IGrainStorageSerializer Serializer => cluster!.SiloServices().GetRequiredService<IGrainStorageSerializer>();

    public async Task InitializeAsync()
    {
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        cluster = await VitrinaTestCluster.Start(database, models.Path);
    }

    [Fact]
    public void An_account_stored_by_the_november_builds_reads_back_whole()
    {
        var state = Read<AccountGrainState>("account-2026-11.json");

        Assert.Equal(new AccountSource(AccountSource.Instagram, "anna_vintage"), state.Source);
        Assert.Equal(["p1", "p2"], state.SeenPostIds.Order());
        Assert.Equal(AccountState.Failing, state.State);
        Assert.Equal((120, 3, 4, 5), (state.ImagesSubmitted, state.ImagesFailed, state.MediaSkipped, state.PostsWithdrawn));
        Assert.Equal((At, At.AddHours(-2), At.AddMinutes(-5)), (state.LastPoll, state.LastSweep, state.LastSuccessfulPoll));
        Assert.Equal(("Graph API unavailable", "token-7"), (state.LastError, state.ParkedForCredential));
        Assert.Equal(["p3"], state.FinishedAhead);
        Assert.Equal(["p0"], state.UnconfirmedGone);
        Assert.Equal(At.AddDays(-1), Assert.Single(state.DeferredSince, d => d.Key == "p4").Value);
    }

    [Fact]
    public void The_registry_stored_by_the_november_builds_reads_back_whole()
    {
        Assert.Equal(["anna_vintage", "tailor_moscow"], Read<SortedSet<string>>("account-registry-2026-11.json"));
        var states = Read<Dictionary<string, AccountState>>("account-states-2026-11.json");
        Assert.Equal((AccountState.Failing, AccountState.Paused), (states["anna_vintage"], states["tailor_moscow"]));
    }

    [Fact]
    public void State_is_written_without_dotnet_type_names_and_with_enums_by_name_and_reads_back()
    {
        var state = Read<AccountGrainState>("account-2026-11.json");

        var written = Serializer.Serialize(state).ToString();

        Assert.DoesNotContain("$type", written);
        Assert.DoesNotContain("Vitrina.Grains", written); // nothing ties the row to where the class lives
        Assert.Contains("\"State\":\"Failing\"", written);
        var again = Serializer.Deserialize<AccountGrainState>(BinaryData.FromString(written))!;
        Assert.Equal(state.SeenPostIds.Order(), again.SeenPostIds.Order());
        Assert.Equal((state.State, state.LastError, state.LastSuccessfulPoll), (again.State, again.LastError, again.LastSuccessfulPoll));
        Assert.Equal(state.DeferredSince, again.DeferredSince);
        Assert.Contains("\"tailor_moscow\":\"Paused\"", Serializer.Serialize(new Dictionary<string, AccountState> { ["tailor_moscow"] = AccountState.Paused }).ToString());
    }

    private T Read<T>(string fixture) =>
        Serializer.Deserialize<T>(BinaryData.FromString(File.ReadAllText(RepoPaths.File($"tests/Vitrina.Tests/Storage/StoredState/{fixture}"))))
            ?? throw new InvalidDataException($"{fixture} read as null");

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        models.Dispose();
        await database.DisposeAsync();
    }
}
