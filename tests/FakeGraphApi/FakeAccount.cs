namespace Vitrina.FakeGraphApi;

/// <summary>An Instagram account in the fake world; its posts are made on first use, so thousands of accounts cost little.</summary>
public sealed class FakeAccount
{
    private readonly Lock gate = new();
    private readonly Func<FakeAccount, IEnumerable<FakeMedia>>? generate;
    private List<FakeMedia>? media;

    internal FakeAccount(string username, string id, FakeAccountKind kind, Func<FakeAccount, IEnumerable<FakeMedia>>? generate)
    {
        Username = username;
        Id = id;
        Kind = kind;
        this.generate = generate;
    }

    public string Username { get; }

    public string Id { get; }

    public FakeAccountKind Kind { get; }

    /// <summary>Posts newest first, deleted ones left out.</summary>
    public IReadOnlyList<FakeMedia> Media => AllMedia().Where(m => !m.Deleted).ToList();

    /// <summary>Posts newest first including deleted ones, which keep cursors past them valid.</summary>
    internal IReadOnlyList<FakeMedia> AllMedia()
    {
        lock (gate)
        {
            return Materialized().ToArray();
        }
    }

    internal void Prepend(FakeMedia post)
    {
        lock (gate)
        {
            Materialized().Insert(0, post);
        }
    }

    private List<FakeMedia> Materialized() => media ??= generate?.Invoke(this).ToList() ?? [];
}
