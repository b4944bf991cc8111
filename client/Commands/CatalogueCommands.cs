using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Vitrina.Accounts;
using Vitrina.Catalogue;
using Vitrina.Images;

namespace Vitrina.Client.Commands;

/// <summary><c>vitrina catalogue summary|list</c>: read the catalogue from a running cluster.</summary>
public static class CatalogueCommands
{
    public static Command Create()
    {
        var catalogue = new Command("catalogue", "Read the catalogue: counts per colour x category, or its rows; make missing thumbnails.");
        catalogue.Subcommands.Add(Summary());
        catalogue.Subcommands.Add(List());
        catalogue.Subcommands.Add(ThumbnailsCommand.Create());
        return catalogue;
    }

    private static Command Summary()
    {
        var gateway = CommonOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("summary", "Counts of catalogued images per colour x category, plus moderation, failures, exclusions and withdrawals.") { gateway, json };
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
                $"{summary.Catalogued} catalogued, {summary.Moderation} awaiting moderation, {summary.Failed} failed, {summary.Excluded} excluded by moderators, {summary.Withdrawn} withdrawn (post gone from the shop), from {summary.Accounts} accounts");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var colour = new Option<string?>("--colour") { Description = "Only this colour (e.g. Blue)." };
        var category = new Option<string?>("--category") { Description = "Only this category (e.g. Dresses)." };
        var account = new Option<string?>("--account") { Description = "Only this account." };
        var status = new Option<ImageStatus?>("--status") { Description = "Catalogued, Moderation, Failed, Excluded (by a moderator, as none of the categories) or Withdrawn (the post is gone from the shop)." };
        var taxonomyBelow = new Option<float?>("--taxonomy-below")
        {
            Description = "Only rows the taxonomy head judged less likely than this (0-1) to show one of the categories: " +
                "with --status Moderation, the photos a moderator will likely exclude.",
        };
        taxonomyBelow.Validators.Add(result =>
        {
            if (result.TryGetValue(taxonomyBelow, out var p) && p is <= 0 or > 1)
            {
                result.AddError($"--taxonomy-below must be a probability in (0, 1]; got {p}.");
            }
        });
        var limit = new Option<int>("--limit") { Description = "At most this many rows (1-10000).", DefaultValueFactory = _ => 100 };
        limit.Validators.Add(result =>
        {
            if (result.TryGetValue(limit, out var n) && n is < 1 or > 10_000)
            {
                result.AddError($"--limit must be between 1 and 10000; got {n}.");
            }
        });
        var after = new Option<string?>("--after") { Description = "Only rows after this image id: the last id of the previous page." };
        var gateway = CommonOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("list", "List catalogue rows in image-id order, filtered by colour, category, account, status or taxonomy verdict, page by page.")
        {
            colour, category, account, status, taxonomyBelow, limit, after, gateway, json,
        };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            var items = await client.GetGrain<ICatalogueGrain>(0).List(new CatalogueQuery
            {
                Colour = parse.GetValue(colour),
                Category = parse.GetValue(category),
                Account = parse.GetValue(account) is { } handle ? Handles.Key(handle) : null,
                Status = parse.GetValue(status),
                InTaxonomyBelow = parse.GetValue(taxonomyBelow),
                After = parse.GetValue(after),
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
            if (items.Count == parse.GetValue(limit))
            {
                AnsiConsole.MarkupLineInterpolated($"[grey]The next page, if any: the same command with --after {items[^1].ImageId}[/]");
            }

            return 0;
        }));
        return command;
    }
}
