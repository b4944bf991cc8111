using Orleans.Runtime;

namespace Vitrina.Silos;

/// <summary>
/// One silo's report to the <see cref="ISiloRosterGrain"/>: who it is and its totals since it started. Totals, not
/// rates, so that a lost report costs nothing and the roster can take rates over whatever span it holds.
/// </summary>
[GenerateSerializer, Immutable, Alias("Vitrina.SiloReport")]
public sealed record SiloReport
{
    [Id(0)] public required SiloAddress Silo { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required IReadOnlyList<string> Roles { get; init; }
    [Id(3)] public required string Device { get; init; }

    /// <summary>
    /// When the totals were read, as the time since the silo's reporter started on a monotonic clock: rates divide by
    /// differences of these. A wall clock stepped back by NTP or a VM resume would discard every report until it caught
    /// up, and one stepped forward would divide the rates down to nothing.
    /// </summary>
    [Id(20)] public TimeSpan Uptime { get; init; }

    [Id(5)] public DateTimeOffset StartedAt { get; init; }

    /// <summary>The model version this silo serves; null when it does not classify or has not loaded one yet.</summary>
    [Id(6)] public string? Model { get; init; }

    /// <summary>The current version while this silo cannot serve it (another serves instead).</summary>
    [Id(7)] public string? RefusedModel { get; init; }

    [Id(8)] public long Classified { get; init; }
    [Id(9)] public long Batches { get; init; }
    [Id(10)] public int Queued { get; init; }
    [Id(11)] public int QueueLimit { get; init; }
    [Id(12)] public long Refused { get; init; }

    /// <summary>Photos this silo's image grains finished (catalogued, queued for moderation or failed).</summary>
    [Id(13)] public long ImagesFinished { get; init; }
    [Id(14)] public long HandedBack { get; init; }
    [Id(15)] public long GaveUp { get; init; }
    [Id(16)] public long WorkingSetMiB { get; init; }

    /// <summary>Memory held by photos this silo fetched and has not yet classified, and the most they may hold.</summary>
    [Id(17)] public long FetchedMiB { get; init; }
    [Id(18)] public long FetchMemoryMiB { get; init; }

    /// <summary>Where and in what precision its model computes (<c>cuda float16</c>, <c>cpu float32</c>...); null when none is loaded.</summary>
    [Id(19)] public string? ServedOn { get; init; }
}
