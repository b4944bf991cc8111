namespace Vitrina.FakeGraphApi;

/// <summary>Real time plus an offset that tests move forward, to expire signed links and roll rate windows at once.</summary>
public sealed class FakeClock : TimeProvider
{
    private long offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
}
