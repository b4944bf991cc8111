namespace Vitrina.Grains.Retraining;

/// <summary>
/// The serving version and label set of this silo's last retraining that published nothing. Tried again every
/// interval, it would fetch up to 10,000 photos again to reach the same verdict. Held by the silo rather than the
/// training grain, whose activation is collected between runs; a silo restart costs one more try at most.
/// </summary>
public sealed class UnpublishedRetraining
{
    private Tried? last;

    public bool Covers(string serving, double labels) => Volatile.Read(ref last) == new Tried(serving, labels);

    public void Remember(string serving, double labels) => Volatile.Write(ref last, new Tried(serving, labels));

    public void Forget() => Volatile.Write(ref last, null);

    private sealed record Tried(string Serving, double Labels);
}
