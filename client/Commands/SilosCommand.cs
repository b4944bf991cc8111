using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Vitrina.Grains.Silos;
using Vitrina.Silos;

namespace Vitrina.Client.Commands;

/// <summary><c>vitrina silos</c>: every live silo's roles, device, model and rates, as the dashboard's silo table shows them.</summary>
public static class SilosCommand
{
    public static Command Create()
    {
        var gateway = CommonOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("silos",
            "The cluster's live silos: roles, device, model and what it computes on (e.g. cuda float16), photos classified and finished per second (over their last 10 s), " +
            "photos per batch, classifier queue, refusals, photos handed back or given up, memory, memory held by photos fetched and not yet classified, " +
            "and how long ago each last reported.")
        {
            gateway, json,
        };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            var roster = client.GetGrain<ISiloRosterGrain>(0);
            var silos = await roster.List();
            if (silos.Count == 0)
            {
                // The roster has just (re)activated: every silo reports within one interval.
                await Task.Delay(SiloReporter.Interval + TimeSpan.FromSeconds(1));
                silos = await roster.List();
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(silos, Output.Json));
                return 0;
            }

            var table = new Table().AddColumns("silo", "roles", "device", "model", "classified/s", "per batch", "queue (limit)",
                "refused/s", "finished/s", "handed back / given up", "MiB", "fetched MiB (limit)", "reported");
            foreach (var s in silos)
            {
                var silo = s.Status == "Active" ? s.Address : $"{s.Address} ({s.Status})";
                var model = (s.Model ?? "-") + (s.ServedOn is { } servedOn ? $" ({servedOn})" : "") +
                    (s.RefusedModel is { } refused ? $" (cannot serve {refused})" : "");
                table.AddRow(Markup.Escape(silo), string.Join(",", s.Roles), Markup.Escape(s.Device), Markup.Escape(model),
                    Rate(s.ClassifiedPerSecond), s.MeanBatch > 0 ? Rate(s.MeanBatch) : "-", $"{s.Queued} ({s.QueueLimit})", Rate(s.RefusedPerSecond),
                    Rate(s.ImagesPerSecond), $"{s.HandedBack} / {s.GaveUp}", $"{s.WorkingSetMiB}", $"{s.FetchedMiB} ({s.FetchMemoryMiB})", $"{s.ReportAgeSeconds:0} s ago");
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    private static string Rate(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}
