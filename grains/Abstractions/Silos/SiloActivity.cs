namespace Vitrina.Silos;

/// <summary>
/// A silo as the roster sees it: its last report, with rates taken over the reports of the last few seconds (zero
/// until there are two of them).
/// </summary>
[GenerateSerializer, Immutable, Alias("Vitrina.SiloActivity")]
public sealed record SiloActivity
{
    /// <summary>Host and silo port.</summary>
    [Id(0)] public required string Address { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required IReadOnlyList<string> Roles { get; init; }
    [Id(3)] public required string Device { get; init; }

    /// <summary>Its membership status (<c>Active</c>, <c>Joining</c>, <c>ShuttingDown</c>, ...; <c>None</c> before the roster's silo has heard of it).</summary>
    [Id(4)] public required string Status { get; init; }

    /// <summary>Seconds since its last report arrived: a silo that stopped reporting but is not yet declared dead shows here.</summary>
    [Id(5)] public double ReportAgeSeconds { get; init; }
    [Id(6)] public DateTimeOffset StartedAt { get; init; }
    [Id(7)] public string? Model { get; init; }
    [Id(8)] public string? RefusedModel { get; init; }
    [Id(9)] public long Classified { get; init; }
    [Id(10)] public double ClassifiedPerSecond { get; init; }

    /// <summary>Photos per batch over the rate's span: how well the batcher fills the device.</summary>
    [Id(11)] public double MeanBatch { get; init; }
    [Id(12)] public int Queued { get; init; }
    [Id(13)] public int QueueLimit { get; init; }
    [Id(14)] public long Refused { get; init; }
    [Id(15)] public double RefusedPerSecond { get; init; }
    [Id(16)] public long ImagesFinished { get; init; }
    [Id(17)] public double ImagesPerSecond { get; init; }
    [Id(18)] public long HandedBack { get; init; }
    [Id(19)] public long GaveUp { get; init; }
    [Id(20)] public long WorkingSetMiB { get; init; }

    /// <summary>Memory held by photos it fetched and has not yet classified, and the most they may hold: full means its fetches wait.</summary>
    [Id(21)] public long FetchedMiB { get; init; }
    [Id(22)] public long FetchMemoryMiB { get; init; }

    /// <summary>Where and in what precision its model computes (<c>cuda float16</c>, <c>cpu float32</c>...); null when none is loaded.</summary>
    [Id(23)] public string? ServedOn { get; init; }
}
