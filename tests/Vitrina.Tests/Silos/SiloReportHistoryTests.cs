using System.Net;
using Orleans.Runtime;
using Vitrina.Grains.Silos;
using Vitrina.Silos;

namespace Vitrina.Tests.Silos;

/// <summary>The roster's rates: differences of a silo's totals over the span of reports it keeps.</summary>
public sealed class SiloReportHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly SiloAddress Address = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);

    private static SiloReport At(double seconds, long classified, long batches = 0, long finished = 0) => new()
    {
        Silo = Address,
        Name = "silo",
        Roles = ["classify"],
        Device = "cpu",
        Uptime = TimeSpan.FromSeconds(seconds),
        Classified = classified,
        Batches = batches,
        ImagesFinished = finished,
    };

    [Fact]
    public void A_first_report_has_totals_and_no_rates()
    {
        var reports = new SiloReportHistory();
        reports.Add(At(0, classified: 50, batches: 5), Start);

        var activity = reports.Activity("Active", Start.AddSeconds(3));

        Assert.Equal(50, activity.Classified);
        Assert.Equal(0, activity.ClassifiedPerSecond);
        Assert.Equal(0, activity.MeanBatch);
        Assert.Equal(3, activity.ReportAgeSeconds, precision: 6);
        Assert.Equal("127.0.0.1:11111", activity.Address);
    }

    [Fact]
    public void Rates_cover_the_last_span_of_reports_and_follow_a_change()
    {
        var reports = new SiloReportHistory();
        // 10 photos/s in batches of 5 for 20 s, then 40 photos/s in batches of 20.
        for (var t = 0; t <= 20; t += 2)
        {
            reports.Add(At(t, classified: 10L * t, batches: 2L * t, finished: 10L * t), Start.AddSeconds(t));
        }

        var steady = reports.Activity("Active", Start.AddSeconds(20));
        Assert.Equal(10, steady.ClassifiedPerSecond, precision: 6);
        Assert.Equal(5, steady.MeanBatch, precision: 6);
        Assert.Equal(10, steady.ImagesPerSecond, precision: 6);

        for (var t = 22; t <= 32; t += 2)
        {
            reports.Add(At(t, classified: 200 + (40L * (t - 20)), batches: 40 + (2L * (t - 20))), Start.AddSeconds(t));
        }

        // The span's oldest report is from t = 22 or earlier, not from t = 0: the new rate shows within 12 s.
        var changed = reports.Activity("Active", Start.AddSeconds(32));
        Assert.Equal(40, changed.ClassifiedPerSecond, precision: 6);
        Assert.Equal(20, changed.MeanBatch, precision: 6);
    }

    [Fact]
    public void A_report_overtaken_by_a_newer_one_changes_nothing()
    {
        var reports = new SiloReportHistory();
        reports.Add(At(0, classified: 0), Start);
        reports.Add(At(4, classified: 40), Start.AddSeconds(4));
        reports.Add(At(2, classified: 20), Start.AddSeconds(5));

        var activity = reports.Activity("Active", Start.AddSeconds(5));

        Assert.Equal(40, activity.Classified);
        Assert.Equal(10, activity.ClassifiedPerSecond, precision: 6);
        Assert.Equal(1, activity.ReportAgeSeconds, precision: 6);
    }

    [Fact]
    public void A_silo_that_stopped_reporting_has_no_rates_only_its_totals()
    {
        var reports = new SiloReportHistory();
        for (var t = 0; t <= 10; t += 2)
        {
            reports.Add(At(t, classified: 10L * t), Start.AddSeconds(t));
        }

        Assert.Equal(10, reports.Activity("Active", Start.AddSeconds(11)).ClassifiedPerSecond, precision: 6);
        var silent = reports.Activity("Active", Start.AddSeconds(30)); // killed at 10 s, not yet declared dead
        Assert.Equal(0, silent.ClassifiedPerSecond); // the silos that took its work over report it
        Assert.Equal(100, silent.Classified);
    }
}

