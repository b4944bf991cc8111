using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Vitrina.Grains.Images;
using Vitrina.Training.Images;

namespace Vitrina.Tests.Cluster;

/// <summary>What a caller on another silo receives when a grain throws: the wire format Orleans uses between silos.</summary>
public sealed class RemoteExceptionsTests
{
    public static TheoryData<Exception> Thrown => new()
    {
        new ImageFetchException("the link expired and media 17 no longer exists"),
        new ImageRejectedException("the JPEG is truncated"),
    };

    [Theory]
    [MemberData(nameof(Thrown))]
    public void Vitrina_exceptions_cross_silos_with_their_type_and_message(Exception thrown)
    {
        using var services = new ServiceCollection().AddSerializer().AddVitrinaRemoteExceptions().BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();

        var received = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(thrown));

        Assert.IsType(thrown.GetType(), received);
        Assert.Equal(thrown.Message, received.Message);
    }
}
