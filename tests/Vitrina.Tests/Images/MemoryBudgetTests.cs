using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vitrina.Grains.Images;
using Vitrina.Tests.Support;
using Vitrina.Training.Images;

namespace Vitrina.Tests.Images;

public sealed class MemoryBudgetTests
{
    [Fact]
    public async Task Reservations_beyond_the_limit_wait_and_are_served_first_come_first_served()
    {
        var memory = new FetchMemory(100, new ImageMetrics());
        Assert.Equal(60, await memory.Reserve(60, CancellationToken.None));
        var large = memory.Reserve(50, CancellationToken.None).AsTask();
        var small = memory.Reserve(10, CancellationToken.None).AsTask();

        // 10 would fit, but it came after 50: overtaking could keep a large photo waiting for ever.
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        memory.Release(60);
        Assert.Equal(50, await large.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(10, await small.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(60, memory.Held);
    }

    [Fact]
    public async Task A_photo_larger_than_the_limit_waits_until_nothing_else_is_held_and_then_takes_it_all()
    {
        var memory = new FetchMemory(100, new ImageMetrics());
        await memory.Reserve(30, CancellationToken.None);
        var huge = memory.Reserve(500, CancellationToken.None).AsTask();
        Assert.False(huge.IsCompleted);

        memory.Release(30);

        Assert.Equal(100, await huge.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(100, memory.Held);
    }

    [Fact]
    public async Task A_cancelled_wait_reserves_nothing_and_lets_the_next_one_in()
    {
        var memory = new FetchMemory(100, new ImageMetrics());
        await memory.Reserve(90, CancellationToken.None);
        using var giveUp = new CancellationTokenSource();
        var cancelled = memory.Reserve(50, giveUp.Token).AsTask();
        var behind = memory.Reserve(10, CancellationToken.None).AsTask();
        Assert.False(behind.IsCompleted);

        await giveUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(10, await behind.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(100, memory.Held);
    }

    [Fact]
    public void A_growing_body_adds_to_its_reservation_without_waiting()
    {
        var memory = new FetchMemory(100, new ImageMetrics());
        memory.Grow(150);
        Assert.Equal(150, memory.Held);
        memory.Release(150);
        Assert.Equal(0, memory.Held);
    }

    [Fact]
    public async Task A_decode_starts_once_its_memory_fits_and_gives_it_back_also_when_it_fails()
    {
        using var photo = new Image<Rgb24>(100, 100);
        var png = TestImages.Png(photo);
        var plan = ImagePreparation.Inspect(png, PreparationSettings.ResNet);
        var metrics = new ImageMetrics();
        var memory = new DecodeMemory(plan.MemoryBytes, metrics);
        var held = await memory.Reserve(1, CancellationToken.None);

        var decode = memory.Decode(() => plan, p => ImagePreparation.Prepare(png, p), CancellationToken.None);

        // One byte held, and the plan needs the whole limit: the decode, inspected on the thread pool, waits.
        Assert.True(SpinWait.SpinUntil(() => metrics.DecodeMemoryWaitCount == 1, TimeSpan.FromSeconds(5)), "the decode did not wait");
        Assert.False(decode.IsCompleted);
        memory.Release(held);
        Assert.Equal(PreparationSettings.ResNet.Size, (await decode.WaitAsync(TimeSpan.FromSeconds(5))).Width);
        Assert.Equal(0, memory.Held);

        await Assert.ThrowsAsync<ImageRejectedException>(() => memory.Decode<PreparedImage>(() => plan, _ => throw new ImageRejectedException("corrupt"), CancellationToken.None));
        await Assert.ThrowsAsync<ImageRejectedException>(() => memory.Decode<PreparedImage>(() => throw new ImageRejectedException("header"), _ => null!, CancellationToken.None));
        Assert.Equal(0, memory.Held);
    }

    [Fact]
    public async Task A_jpeg_the_reduced_decoder_declines_is_decoded_again_on_the_full_size_reservation()
    {
        using var large = new Image<Rgb24>(1080, 1350);
        var jpeg = TestImages.Jpeg(large);
        var reduced = ImagePreparation.Inspect(jpeg, PreparationSettings.ResNet);
        using var small = new Image<Rgb24>(600, 600);
        var fullSize = ImagePreparation.Inspect(TestImages.Png(small), PreparationSettings.ResNet); // stands for the full-size plan
        var memory = new DecodeMemory(64L * 1024 * 1024, new ImageMetrics());
        var seen = new List<(bool Replans, long Held)>();

        var prepared = await memory.Decode(() => reduced, plan =>
        {
            seen.Add((plan.ReplanOnDecline, memory.Held));
            return plan == fullSize ? plan.MemoryBytes : throw new DecodeReplanException(fullSize);
        }, CancellationToken.None);

        Assert.True(reduced.MemoryBytes < 2_000_000, $"{reduced.MemoryBytes} bytes for the reduced decode"); // the plan the silo makes for a 1080 px JPEG
        Assert.Equal([(true, reduced.MemoryBytes), (false, fullSize.MemoryBytes)], seen);
        Assert.Equal(fullSize.MemoryBytes, prepared);
        Assert.Equal(0, memory.Held);
    }
}
