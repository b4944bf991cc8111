using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Vitrina.Catalogue;
using Vitrina.Images;

namespace Vitrina.Client.Commands;

/// <summary><c>vitrina catalogue summary|list</c>: read the catalogue from a running cluster.</summary>
public static class CatalogueCommands
{
    public static Command Create()
    {
        var catalogue = new Command("catalogue", "Read the catalogue: counts per colour x category, or its rows.");
        catalogue.Subcommands.Add(Summary());
        catalogue.Subcommands.Add(List());
        return catalogue;
    }

    private static Command Summary()
    {
        var gateway = CommonOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("summary", "Counts of catalogued images per colour x category, plus moderation, failures and exclusions.") { gateway, json };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            var summary = await client.GetGrain<ICatalogueGrain>(0).Summary();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(summary, Output.Json));
                return 0;
            }

            var categories = summary.Cells.Select(c => c.Category).Distinct().Order().ToList();
            var table = new Table().AddColumn("colour");
            categories.ForEach(c => table.AddColumn(Markup.Escape(c)));
            foreach (var colour in summary.Cells.Select(c => c.Colour).Distinct().Order())
            {
                table.AddRow([colour, .. categories.Select(k => $"{summary.Cells.FirstOrDefault(c => c.Colour == colour && c.Category == k)?.Count ?? 0}")]);
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLineInterpolated(
                $"{summary.Catalogued} catalogued, {summary.Moderation} awaiting moderation, {summary.Failed} failed, {summary.Excluded} excluded by moderators, from {summary.Accounts} accounts");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var colour = new Option<string?>("--colour") { Description = "Only this colour (e.g. Blue)." };
        var category = new Option<string?>("--category") { Description = "Only this category (e.g. Dresses)." };
        var account = new Option<string?>("--account") { Description = "Only this account." };
        var status = new Option<ImageStatus?>("--status") { Description = "Catalogued, Moderation, Failed or Excluded (by a moderator, as none of the categories)." };
        var limit = new Option<int>("--limit") { Description = "At most this many rows.", DefaultValueFactory = _ => 100 };
        var gateway = CommonOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("list", "List catalogue rows, filtered by colour, category, account or status.")
        {
            colour, category, account, status, limit, gateway, json,
        };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            var items = await client.GetGrain<ICatalogueGrain>(0).List(new CatalogueQuery
            {
                Colour = parse.GetValue(colour),
                Category = parse.GetValue(category),
                Account = parse.GetValue(account),
                Status = parse.GetValue(status),
                Limit = parse.GetValue(limit),
            });
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(items, Output.Json));
                return 0;
            }

            var table = new Table().AddColumns("image", "status", "colour", "p", "category", "p", "taxonomy p", "model / error");
            foreach (var i in items)
            {
                table.AddRow(Markup.Escape(i.ImageId), i.Status.ToString(), i.Colour ?? "", $"{i.ColourProbability:F2}",
                    Markup.Escape(i.Category ?? ""), $"{i.CategoryProbability:F2}", i.InTaxonomyProbability is { } p ? $"{p:F2}" : "",
                    Markup.Escape(i.Error ?? i.ModelVersion ?? ""));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
