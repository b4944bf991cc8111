using System.Collections.Concurrent;
using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Vitrina.Catalogue;
using Vitrina.Grains.Catalogue;
using Vitrina.Images;

namespace Vitrina.Client.Commands;

/// <summary>
/// <c>vitrina catalogue thumbnails</c>: makes the thumbnails of photos filed before the catalogue kept them, so that
/// the shelves and the moderation page show them. Safe to repeat: only rows still without one are read.
/// </summary>
public static class ThumbnailsCommand
{
    private const int Page = 500;

    public static Command Create()
    {
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Photos fetched and decoded at once across the cluster (1-256). An expired Instagram link costs one " +
                "Graph API call from the account's budget to renew.",
            DefaultValueFactory = _ => 8,
        };
        concurrency.Validators.Add(result =>
        {
            if (result.TryGetValue(concurrency, out var n) && n is < 1 or > 256)
            {
                result.AddError($"--concurrency must be between 1 and 256; got {n}.");
            }
        });
        var gateway = CommonOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("thumbnails",
            "Make the missing thumbnails of filed photos (photos filed before thumbnails were kept): each photo is fetched " +
            "again and decoded as for the model in service. Exit code 1 when some could not be made; run it again to retry them.")
        {
            concurrency, gateway, json,
        };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), client => Renew(client, parse.GetValue(concurrency), parse.GetValue(json))));
        return command;
    }

    private static async Task<int> Renew(IClusterClient client, int concurrency, bool json)
    {
        var catalogue = client.GetGrain<ICatalogueGrain>(0);
        var total = await catalogue.CountWithoutThumbnails();
        var problems = new ConcurrentQueue<string>();
        var renewed = 0;
        await ProgressBars.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"thumbnails for {total} photos", maxValue: Math.Max(1, total));
                using var gate = new SemaphoreSlim(concurrency);
                string? after = null;
                while (await catalogue.WithoutThumbnails(after, Page) is { Count: > 0 } page)
                {
                    after = page[^1].ImageId;
                    await Task.WhenAll(page.Select(async item =>
                    {
                        await gate.WaitAsync();
                        try
                        {
                            await client.GetGrain<IImageGrain>(IImageGrain.Key).RenewThumbnail(CatalogueItems.ToWork(item)
                                ?? throw new InvalidOperationException("filed without its source, so it cannot be fetched again"));
                            Interlocked.Increment(ref renewed);
                        }
                        catch (Exception e)
                        {
                            // One photo gone from the shop or undecodable does not stop the others.
                            problems.Enqueue($"{item.ImageId}: {CliErrors.Describe(e)}");
                        }
                        finally
                        {
                            task.Increment(1);
                            gate.Release();
                        }
                    }));
                }

                task.Value = task.MaxValue; // rows filed meanwhile, or none at all
            });

        var failed = problems.Order(StringComparer.Ordinal).ToList();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { renewed, failed = failed.Count, problems = failed }, Output.Json));
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"{renewed} thumbnails made, {failed.Count} photos failed{(failed.Count > 0 ? " (run the command again to retry them):" : ".")}");
            failed.Take(20).ToList().ForEach(p => AnsiConsole.MarkupLineInterpolated($"  [red]{p}[/]"));
            if (failed.Count > 20)
            {
                AnsiConsole.MarkupLineInterpolated($"  ... and {failed.Count - 20} more (--json lists them all)");
            }
        }

        return failed.Count > 0 ? 1 : 0;
    }
}
