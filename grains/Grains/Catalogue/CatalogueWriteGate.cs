using Microsoft.Extensions.Options;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// Lets one catalogue write at a time through when the catalogue is SQLite, which has a single writer: a second writer
/// otherwise gets SQLITE_BUSY and Microsoft.Data.Sqlite sleeps before retrying, which held filing near 500 rows/s on
/// any machine. Queueing in the process instead costs nothing. PostgreSQL writes run concurrently.
/// Microsoft.Data.Sqlite's async calls complete synchronously, so a SQLite write runs on the thread pool: on the
/// caller's grain turn it would hold one of the silo's scheduler threads for the whole transaction. Writes therefore
/// touch no grain state.
/// </summary>
public sealed class CatalogueWriteGate(IOptions<CatalogueDatabaseOptions> options)
{
    private readonly SemaphoreSlim? single = options.Value.IsPostgres ? null : new(1, 1);

    public async Task<T> Run<T>(Func<Task<T>> write)
    {
        if (single is null)
        {
            return await write();
        }

        await single.WaitAsync();
        try
        {
            return await Task.Run(write);
        }
        finally
        {
            single.Release();
        }
    }

    public Task Run(Func<Task> write) => Run(async () =>
    {
        await write();
        return true;
    });
}
