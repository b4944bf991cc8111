using Microsoft.Extensions.Options;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// Lets one catalogue write at a time through when the catalogue is SQLite, which has a single writer: a second writer
/// otherwise gets SQLITE_BUSY and Microsoft.Data.Sqlite sleeps before retrying, which held filing near 500 rows/s on
/// any machine. Queueing in the process instead costs nothing. PostgreSQL writes run concurrently.
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
            return await write();
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
