namespace Vitrina.Tests.Storage;

/// <summary>A grain that exercises the three ADO.NET providers: persistent state and a reminder.</summary>
[Alias("Vitrina.Tests.Storage.IKeepsakeGrain")]
public interface IKeepsakeGrain : IGrainWithStringKey
{
    [Alias("Keep")] Task Keep(string text);
    [Alias("Read")] Task<string?> Read();
    [Alias("Forget")] Task Forget();
    [Alias("Remind")] Task Remind(string name);
    [Alias("HasReminder")] Task<bool> HasReminder(string name);
}

[GenerateSerializer, Alias("Vitrina.Tests.Storage.Keepsake")]
public sealed class Keepsake
{
    [Id(0)] public string? Text { get; set; }
}

public sealed class KeepsakeGrain(
    [PersistentState(stateName: "keepsake", storageName: KeepsakeGrain.Storage)] IPersistentState<Keepsake> keepsake)
    : Grain, IKeepsakeGrain, IRemindable
{
    public const string Storage = "cluster-test";

    public async Task Keep(string text)
    {
        keepsake.State.Text = text;
        await keepsake.WriteStateAsync();
    }

    public Task<string?> Read() => Task.FromResult(keepsake.State.Text);

    public Task Forget() => keepsake.ClearStateAsync();

    // Periods well above Orleans' one-minute minimum; the test only needs the row, not a tick.
    public Task Remind(string name) => this.RegisterOrUpdateReminder(name, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10));

    public async Task<bool> HasReminder(string name) => await this.GetReminder(name) is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
