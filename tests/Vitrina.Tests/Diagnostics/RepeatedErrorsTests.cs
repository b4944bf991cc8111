using Microsoft.Extensions.Logging;
using Vitrina.Grains.Diagnostics;
using Vitrina.Grains.Images;
using Vitrina.Images;

namespace Vitrina.Tests.Diagnostics;

public sealed class RepeatedErrorsTests
{
    [Fact]
    public void Alike_errors_are_logged_once_an_interval_and_the_next_one_logged_says_how_many_were_left_out()
    {
        var errors = new RepeatedErrors(TimeSpan.FromSeconds(1));

        Assert.True(errors.ShouldLog("NpgsqlException", out var leftOut));
        Assert.Equal(0, leftOut);
        Assert.False(errors.ShouldLog("NpgsqlException", out _));
        Assert.False(errors.ShouldLog("NpgsqlException", out _));
        Assert.True(errors.ShouldLog("InvalidOperationException", out _)); // another kind has an interval of its own

        Thread.Sleep(1100);
        Assert.True(errors.ShouldLog("NpgsqlException", out leftOut));
        Assert.Equal(2, leftOut);
        Assert.False(errors.ShouldLog("NpgsqlException", out _));
    }

    [Fact]
    public void An_exception_that_wraps_another_is_its_own_kind()
    {
        Assert.Equal("TimeoutException", RepeatedErrors.KindOf(new TimeoutException()));
        Assert.Equal("InvalidOperationException(IOException)", RepeatedErrors.KindOf(new InvalidOperationException("x", new IOException())));
    }

    [Fact]
    public void An_image_error_is_logged_with_its_photo_and_stack_and_a_flood_of_alike_ones_as_one_line()
    {
        var logger = new Captured();
        var log = new ImageErrorLog(logger);
        var work = new ImageWork { ImageId = "shop/p1", Account = "shop", PostId = "p1", Source = new Uri("file:///photos/p1.jpg") };

        for (var i = 0; i < 50; i++)
        {
            log.Report(work, Thrown(new InvalidOperationException("the catalogue's database is gone")));
        }

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains("shop/p1", entry.Message);
        Assert.Contains("post p1", entry.Message);
        Assert.NotNull(entry.Exception?.StackTrace);
    }

    [Fact]
    public void A_decoder_that_throws_on_many_photos_is_logged_once_with_its_stack()
    {
        var logger = new Captured();
        var log = new ImageErrorLog(logger);
        for (var i = 0; i < 20; i++)
        {
            var work = new ImageWork { ImageId = $"shop/p{i}", Account = "shop", PostId = $"p{i}", Source = new Uri($"file:///photos/p{i}.jpg") };
            log.ReportDecoderFault(work, Thrown(new NullReferenceException()));
        }

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("shop/p0", entry.Message);
        Assert.IsType<NullReferenceException>(entry.Exception);
    }

    private static Exception Thrown(Exception e)
    {
        try
        {
            throw e;
        }
        catch (Exception thrown)
        {
            return thrown;
        }
    }

    private sealed class Captured : ILogger<ImageErrorLog>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }
}
