using Vitrina.Silos;

namespace Vitrina.Grains.Silos;

/// <summary>
/// The recent reports of one silo, from which the roster takes its rates: the differences of the totals between the
/// oldest report kept and the newest, over the silo's own monotonic clock. Kept: the reports of the last <see cref="Span"/> and
/// the one just before it, so the rates cover at least that span once the silo has reported that long.
/// </summary>
public sealed class SiloReportHistory
{
    /// <summary>Long enough to smooth a batch's burst; short enough to show a change within seconds.</summary>
    public static readonly TimeSpan Span = TimeSpan.FromSeconds(10);

    private readonly Queue<SiloReport> reports = new();

    public SiloReport Last { get; private set; } = null!;

    /// <summary>When the roster last heard from the silo, by the roster's clock.</summary>
    public DateTimeOffset HeardAt { get; private set; }

    public void Add(SiloReport report, DateTimeOffset heardAt)
    {
        if (reports.Count > 0 && report.Uptime <= Last.Uptime)
        {
            return; // a late report, overtaken by a newer one
        }

        reports.Enqueue(report);
        (Last, HeardAt) = (report, heardAt);
        while (reports.Count > 2 && report.Uptime - reports.ElementAt(1).Uptime >= Span)
        {
            reports.Dequeue();
        }
    }

    public SiloActivity Activity(string status, DateTimeOffset now)
    {
        var first = reports.Peek();
        var seconds = (Last.Uptime - first.Uptime).TotalSeconds;
        // A silo that stopped reporting is doing nothing we know of: its last rates, kept until membership declares it
        // dead, would count its work twice next to the silos that took it over.
        var silent = now - HeardAt > 3 * SiloReporter.Interval;
        double PerSecond(Func<SiloReport, long> total) => seconds > 0 && !silent ? (total(Last) - total(first)) / seconds : 0;
        var batches = Last.Batches - first.Batches;
        return new SiloActivity
        {
            Address = Last.Silo.Endpoint.ToString(),
            Name = Last.Name,
            Roles = Last.Roles,
            Device = Last.Device,
            Status = status,
            ReportAgeSeconds = Math.Max(0, (now - HeardAt).TotalSeconds),
            StartedAt = Last.StartedAt,
            Model = Last.Model,
            RefusedModel = Last.RefusedModel,
            ServedOn = Last.ServedOn,
            Classified = Last.Classified,
            ClassifiedPerSecond = PerSecond(r => r.Classified),
            MeanBatch = batches > 0 ? (double)(Last.Classified - first.Classified) / batches : 0,
            Queued = Last.Queued,
            QueueLimit = Last.QueueLimit,
            Refused = Last.Refused,
            RefusedPerSecond = PerSecond(r => r.Refused),
            ImagesFinished = Last.ImagesFinished,
            ImagesPerSecond = PerSecond(r => r.ImagesFinished),
            HandedBack = Last.HandedBack,
            GaveUp = Last.GaveUp,
            WorkingSetMiB = Last.WorkingSetMiB,
            FetchedMiB = Last.FetchedMiB,
            FetchMemoryMiB = Last.FetchMemoryMiB,
        };
    }
}
