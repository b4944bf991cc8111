using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vitrina.ClusterHarness;
using Vitrina.Grains.Images;

namespace Vitrina.Tests.Images;

public sealed class PublicAddressGuardTests
{
    [Theory]
    [InlineData("157.240.22.174", true)] // an Instagram CDN address
    [InlineData("8.8.8.8", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2a03:2880:f12f:83:face:b00c::25de", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.10", false)]
    [InlineData("169.254.169.254", false)] // cloud metadata services
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    public void Tells_public_addresses_from_the_silos_own_network(string address, bool isPublic) =>
        Assert.Equal(isPublic, PublicAddressGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task A_photo_on_a_private_address_is_refused_for_good_unless_allowed()
    {
        var port = FreePorts.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            await context.Response.OutputStream.WriteAsync("JFIF"u8.ToArray());
            context.Response.Close();
        });

        foreach (var host in new[] { "127.0.0.1", "localhost" })
        {
            var refused = await Assert.ThrowsAsync<ImageFetchException>(() => Fetcher(allowPrivate: false).Fetch(new Uri($"http://{host}:{port}/p.jpg"), CancellationToken.None));
            Assert.Contains("public addresses only", refused.Message);
            Assert.False(refused.Transient); // filed as Failed with the reason, not tried again for a day
        }

        using var allowed = await Fetcher(allowPrivate: true).Fetch(new Uri($"http://127.0.0.1:{port}/p.jpg"), CancellationToken.None);
        Assert.Equal(4, allowed.Length);
        await serving.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static ImageFetcher Fetcher(bool allowPrivate)
    {
        var services = new ServiceCollection();
        services.AddHttpClient("images").ConfigurePrimaryHttpMessageHandler(() => PublicAddressGuard.Handler(allowPrivate));
        return new ImageFetcher(services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(), new FetchMemory(1024 * 1024, new ImageMetrics()));
    }
}
