using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Vitrina.Accounts;

namespace Vitrina.Client.Commands;

/// <summary><c>vitrina accounts add|import|list|status|pause|resume|remove</c>: onboard shop accounts and watch them.</summary>
public static class AccountsCommands
{
    public static Command Create()
    {
        var accounts = new Command("accounts", "Onboard shop accounts and see how their polling goes.");
        accounts.Subcommands.Add(Add());
        accounts.Subcommands.Add(AccountsImport.Create());
        accounts.Subcommands.Add(List());
        accounts.Subcommands.Add(Status());
        accounts.Subcommands.Add(Change("pause", "Stop polling an account; its catalogued photos stay.", async a => await a.Pause()));
        accounts.Subcommands.Add(Resume());
        accounts.Subcommands.Add(Remove());
        return accounts;
    }

    private static Command Remove()
    {
        var handle = new Argument<string>("handle") { Description = "The account's handle." };
        var withdraw = new Option<bool>("--withdraw-photos")
        {
            Description = "Also take its photos off the shelves and out of the moderation queue (a shop leaving the marketplace); onboarding it again brings them back. " +
                          "Also for an account already removed, whose photos a failed withdrawal left on the shelves.",
        };
        var gateway = CommonOptions.Gateway();
        var command = new Command("remove", "Stop following an account and forget it; its catalogued photos stay unless --withdraw-photos.") { handle, withdraw, gateway };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            var account = client.GetGrain<IAccountGrain>(Handles.Key(parse.GetRequiredValue(handle)));
            if (parse.GetValue(withdraw) && (await account.GetStatus()).State == AccountState.NotOnboarded)
            {
                // A removal whose withdrawal failed removed the account first: its photos are withdrawn by running it again.
                Console.WriteLine($"{await account.Remove(withdrawPhotos: true)} catalogue photos withdrawn (the account was not onboarded)");
                return 0;
            }

            return await ApplyToOne(client, "remove", parse.GetRequiredValue(handle), async a =>
            {
                await a.Pause(); // answers at once and stops a running poll from starting more posts, so the removal does not wait on it
                var withdrawn = await a.Remove(parse.GetValue(withdraw));
                Console.WriteLine($"{withdrawn} catalogue photos withdrawn");
                return null;
            });
        }));
        return command;
    }

    private static Command Add()
    {
        var handle = new Argument<string>("handle") { Description = "The account's handle, e.g. shop_anna (letters, digits, '.', '_')." };
        var folder = new Option<DirectoryInfo>("--folder")
        {
            Description = "Read posts from this local folder (one image per post, optional name.json side-car) instead of Instagram.",
        };
        var gateway = CommonOptions.Gateway();
        var command = new Command("add", "Onboard an account: it is polled now and then periodically. " +
            "Without --folder the handle is an Instagram business or creator account, read through the Graph API (see README).") { handle, folder, gateway };
        command.Validators.Add(result =>
        {
            var value = result.GetValue(handle);
            if (value is null || !Handles.IsValid(value))
            {
                result.AddError($"'{value}' is not a valid handle: use 1-30 letters, digits, '.' or '_'.");
            }
        });
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            var name = Handles.Key(parse.GetRequiredValue(handle));
            var source = parse.GetValue(folder) is { } dir
                ? new AccountSource(AccountSource.Folder, dir.FullName)
                : new AccountSource(AccountSource.Instagram, name);
            if (parse.GetValue(folder) is { Exists: false } missing)
            {
                Console.Error.WriteLine($"warning: {MissingFolder(missing.FullName)}");
            }

            var status = await client.GetGrain<IAccountGrain>(name).Onboard(source);
            AnsiConsole.MarkupLineInterpolated($"[green]onboarded[/] {status.Handle} from {source.Kind} {source.Location}");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var state = new Option<AccountState?>("--state")
        {
            Description = "Only accounts in this state: Active, Failing, Paused or Parked (e.g. the parked ones, to see why with `accounts status`).",
        };
        var gateway = CommonOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("list", "List onboarded accounts, or those in one state.") { state, gateway, json };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            var handles = await AccountRegistry.ListAll(client, parse.GetValue(state));
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(handles, Output.Json));
            }
            else
            {
                foreach (var h in handles)
                {
                    Console.WriteLine(h);
                }
            }

            return 0;
        }));
        return command;
    }

    private static Command Status()
    {
        var handle = new Argument<string?>("handle") { Description = "One account; all when omitted.", Arity = ArgumentArity.ZeroOrOne };
        var gateway = CommonOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("status", "Per-account status: last poll (attempted), last good poll (how stale its shelf is), next poll, posts seen, images, posts withdrawn since (gone from the account), errors.") { handle, gateway, json };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            var handles = parse.GetValue(handle) is { } one
                ? [Handles.Key(one)]
                : await AccountRegistry.ListAll(client);
            var statuses = await Task.WhenAll(handles.Select(h => client.GetGrain<IAccountGrain>(h).GetStatus()));
            if (parse.GetValue(handle) is { } asked && statuses[0].State == AccountState.NotOnboarded)
            {
                Console.Error.WriteLine($"error: account '{asked}' is not onboarded (vitrina accounts list shows those that are)");
                return 2;
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(statuses, Output.Json));
                return 0;
            }

            var table = new Table().AddColumns("account", "source", "state", "posts seen", "images", "failed", "skipped", "withdrawn", "last poll", "last good poll", "next poll", "last error");
            foreach (var s in statuses)
            {
                table.AddRow(Markup.Escape(s.Handle), s.Source?.Kind ?? "", s.State.ToString(), $"{s.PostsSeen}", $"{s.ImagesSubmitted}", $"{s.ImagesFailed}",
                    $"{s.MediaSkipped}", $"{s.PostsWithdrawn}", $"{s.LastPoll:u}", $"{s.LastSuccessfulPoll:u}", $"{s.NextPoll:u}", Markup.Escape(s.LastError ?? ""));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }

    /// <summary>A command that applies one state change to one account and prints its new status.</summary>
    private static Command Change(string name, string description, Func<IAccountGrain, Task<AccountStatus?>> change)
    {
        var handle = new Argument<string>("handle") { Description = "The account's handle." };
        var gateway = CommonOptions.Gateway();
        var command = new Command(name, description) { handle, gateway };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), client => ApplyToOne(client, name, parse.GetRequiredValue(handle), change)));
        return command;
    }

    /// <summary>
    /// <c>resume</c> takes one handle, or <c>--parked</c> for every parked account: when a shared cause is fixed (an
    /// expired access token replaced), all the accounts it parked come back with one command.
    /// </summary>
    private static Command Resume()
    {
        var handle = new Argument<string?>("handle") { Description = "The account's handle.", Arity = ArgumentArity.ZeroOrOne };
        var parked = new Option<bool>("--parked") { Description = "Resume every parked account instead (e.g. after replacing an expired access token)." };
        var gateway = CommonOptions.Gateway();
        var command = new Command("resume", "Poll a paused or parked account again (after fixing what parked it).") { handle, parked, gateway };
        command.Validators.Add(result =>
        {
            if (result.GetValue(handle) is null != result.GetValue(parked))
            {
                result.AddError("give either a handle or --parked");
            }
        });
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            if (parse.GetValue(handle) is { } one)
            {
                return await ApplyToOne(client, "resume", one, async a => await a.Resume());
            }

            var handles = await AccountRegistry.ListAll(client);
            var statuses = await Task.WhenAll(handles.Select(h => client.GetGrain<IAccountGrain>(h).GetStatus()));
            var parkedHandles = statuses.Where(s => s.State == AccountState.Parked).Select(s => s.Handle).Order(StringComparer.Ordinal);
            // Each account on its own: one that cannot be resumed (its state write refused) is named, the others still resume.
            var outcomes = await Task.WhenAll(parkedHandles.Select(async h =>
            {
                try
                {
                    await client.GetGrain<IAccountGrain>(h).Resume();
                    return (Handle: h, Error: (string?)null);
                }
                catch (Exception e)
                {
                    return (Handle: h, Error: CliErrors.Describe(e));
                }
            }));
            var failed = outcomes.Where(o => o.Error is not null).ToList();
            foreach (var (h, error) in failed)
            {
                Console.Error.WriteLine($"{h}: resume failed ({error}); run the command again to retry");
            }

            var resumed = outcomes.Where(o => o.Error is null).Select(o => o.Handle).ToList();
            Console.WriteLine($"resumed {resumed.Count} parked account(s){(resumed.Count > 0 ? ": " + string.Join(", ", resumed) : "")}" +
                (failed.Count > 0 ? $"; {failed.Count} failed" : ""));
            return failed.Count == 0 ? 0 : 1;
        }));
        return command;
    }

    private static async Task<int> ApplyToOne(IClusterClient client, string name, string handle, Func<IAccountGrain, Task<AccountStatus?>> change)
    {
        handle = Handles.Key(handle);
        var account = client.GetGrain<IAccountGrain>(handle);
        if ((await account.GetStatus()).State == AccountState.NotOnboarded)
        {
            Console.Error.WriteLine($"error: account {handle} is not onboarded (`vitrina accounts list` shows those that are)");
            return 2;
        }

        var status = await change(account);
        Console.WriteLine(status is null ? $"{name}: {handle} done" : $"{status.Handle}: {status.State}");
        return 0;
    }

    /// <summary>
    /// Why a folder source is onboarded though this machine lacks it: in a multi-node cluster the silo that polls it may
    /// see a folder this machine does not.
    /// </summary>
    internal static string MissingFolder(string folder) => $"folder {folder} does not exist here; its polls fail until the silo polling it sees one";
}
