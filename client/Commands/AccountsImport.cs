using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Vitrina.Accounts;
using Vitrina.Training.Data;

namespace Vitrina.Client.Commands;

/// <summary>
/// <c>vitrina accounts import FILE</c>: onboards many accounts from a CSV (one per line: <c>handle</c>, or
/// <c>handle,folder,PATH</c>; an optional header line starting with <c>handle</c>). Bad handles and repeats are
/// reported with their line numbers and skipped; accounts already onboarded are left as they are.
/// </summary>
public static class AccountsImport
{
    private const int InFlight = 64;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV of accounts: 'handle' or 'handle,folder,PATH' per line." };
        var gateway = CommonOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("import", "Onboard every account of a CSV file, with a progress bar; reports invalid handles, " +
            "duplicates in the file, accounts already onboarded and accounts the cluster could not take (import again to retry " +
            "them). Unknown or private Instagram accounts show up as Parked in `accounts status` after their first poll.") { file, gateway, json };
        command.SetAction((parse, _) =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                Console.Error.WriteLine($"error: {path.FullName} does not exist");
                return Task.FromResult(2);
            }

            var plan = Read(path.FullName);
            return Cluster.Run(parse.GetValue(gateway), client => Onboard(client, plan, parse.GetValue(json)));
        });
        return command;
    }

    private sealed record ImportPlan(List<(string Handle, AccountSource Source)> Accounts, List<string> Problems, int Duplicates);

    private static ImportPlan Read(string path)
    {
        var accounts = new List<(string, AccountSource)>();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var duplicates = 0;
        var number = 0;
        using var reader = new StreamReader(path);
        // CSV as spreadsheets write it: a quoted folder path may hold commas; unquoted, the cells after the source are
        // the path's parts again.
        foreach (var row in CsvReader.ReadRows(reader, path))
        {
            number++;
            var cells = row.Count > 3 ? [.. row.Take(2), string.Join(',', row.Skip(2))] : row.ToArray();
            cells = cells.Select(c => c.Trim()).ToArray();
            var handle = Handles.Key(cells[0].TrimStart('@'));
            if (handle.Length == 0 || (number == 1 && handle.Equals("handle", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (!Handles.IsValid(handle))
            {
                problems.Add($"line {number}: '{handle}' is not a valid handle (1-30 letters, digits, '.' or '_')");
            }
            else if (!seen.Add(handle))
            {
                duplicates++;
                problems.Add($"line {number}: '{handle}' repeats an earlier line; skipped");
            }
            else if (cells.Length >= 2 && cells[1].Equals(AccountSource.Folder, StringComparison.OrdinalIgnoreCase))
            {
                if (FullPath(cells.Length == 3 ? cells[2] : "") is { } folder)
                {
                    accounts.Add((handle, new AccountSource(AccountSource.Folder, folder)));
                    if (!Directory.Exists(folder))
                    {
                        Console.Error.WriteLine($"warning: line {number}: {AccountsCommands.MissingFolder(folder)}");
                    }
                }
                else
                {
                    problems.Add($"line {number}: '{(cells.Length == 3 ? cells[2] : "")}' is not a folder path (use folder,PATH)");
                }
            }
            else if (cells.Length == 1 || cells[1].Length == 0 || cells[1].Equals(AccountSource.Instagram, StringComparison.OrdinalIgnoreCase))
            {
                accounts.Add((handle, new AccountSource(AccountSource.Instagram, handle)));
            }
            else
            {
                problems.Add($"line {number}: unknown source '{cells[1]}' (use instagram, or folder,PATH)");
            }
        }

        return new ImportPlan(accounts, problems, duplicates);
    }

    private static string? FullPath(string path)
    {
        if (path.Length == 0)
        {
            return null;
        }

        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
    }

    private static async Task<int> Onboard(IClusterClient client, ImportPlan plan, bool json)
    {
        var known = (await AccountRegistry.ListAll(client)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fresh = plan.Accounts.Where(a => !known.Contains(a.Handle)).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failed = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await ProgressBars.Console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"onboarding {fresh.Count} accounts", maxValue: Math.Max(1, fresh.Count));
                using var gate = new SemaphoreSlim(InFlight);
                await Task.WhenAll(fresh.Select(async account =>
                {
                    await gate.WaitAsync();
                    try
                    {
                        await client.GetGrain<IAccountGrain>(account.Handle).Onboard(account.Source);
                    }
                    catch (Exception e)
                    {
                        // A grain call fails with whatever failed in the grain (its state write refused by the database,
                        // a silo going away, a timeout): one account the cluster could not take does not stop the others,
                        // and importing the file again onboards only what is missing.
                        failed.Enqueue($"{account.Handle}: onboarding failed ({CliErrors.Describe(e)}); import the file again to retry");
                    }
                    finally
                    {
                        task.Increment(1);
                        gate.Release();
                    }
                }));
            });

        var already = plan.Accounts.Count - fresh.Count;
        var onboarded = fresh.Count - failed.Count;
        var problems = plan.Problems.Concat(failed.Order(StringComparer.Ordinal)).ToList();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                onboarded, alreadyOnboarded = already, duplicates = plan.Duplicates, failed = failed.Count, problems,
                seconds = clock.Elapsed.TotalSeconds,
            }, Output.Json));
        }
        else
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine(problem);
            }

            Console.WriteLine($"onboarded {onboarded} accounts in {clock.Elapsed.TotalSeconds:F1} s; {already} already onboarded (left as they are); " +
                $"{plan.Duplicates} duplicate lines; {plan.Problems.Count - plan.Duplicates} invalid lines; {failed.Count} failed");
        }

        return problems.Count == plan.Duplicates ? 0 : 1;
    }
}
