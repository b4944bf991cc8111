using Npgsql;
using Vitrina.Grains.Storage;

namespace Vitrina.Tests.Storage;

public sealed class ConnectionPoolsTests
{
    private const string Server = "Host=db;Port=5432;Username=vitrina;Password=secret;Database=vitrina";

    [Theory]
    [InlineData(Server, 16)] // Npgsql's 100 per pool, two pools per silo, is more than a server allows a few silos
    [InlineData(Server + ";Minimum Pool Size=4", 16)] // a minimum alone leaves the maximum to us
    [InlineData(Server + ";Maximum Pool Size=50", 50)]
    [InlineData(Server + ";MaxPoolSize=100", 100)] // Npgsql's default, but written: the operator's choice
    public void A_pool_is_capped_unless_the_connection_string_sizes_it(string connectionString, int expected)
    {
        var capped = new NpgsqlConnectionStringBuilder(ConnectionPools.Capped(connectionString, 16));

        Assert.Equal(expected, capped.MaxPoolSize);
        Assert.Equal(("db", "secret"), (capped.Host, capped.Password));
    }
}
