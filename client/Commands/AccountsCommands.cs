using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Vitrina.Accounts;

namespace Vitrina.Client.Commands;

/// <summary><c>vitrina accounts add|list|status</c>: onboard shop accounts and watch them.</summary>
public static class AccountsCommands
{
    public static Command Create()
    {
        var accounts = new Command("accounts", "Onboard shop accounts and see how their polling goes.");
        accounts.Subcommands.Add(Add());
        accounts.Subcommands.Add(List());
        accounts.Subcommands.Add(Status());
        return accounts;
    }

    private static Command Add()
    {
        var handle = new Argument<string>("handle") { Description = "The account's handle, e.g. shop_anna (letters, digits, '.', '_')." };
        var folder = new Option<DirectoryInfo>("--folder")
        {
            Description = "Read posts from this local folder (one image per post, optional name.json side-car).",
            Required = true,
        };
        var gateway = CommonOptions.Gateway();
        var command = new Command("add", "Onboard an account: it is polled now and then periodically.") { handle, folder, gateway };
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
            var path = parse.GetRequiredValue(folder).FullName;
            var status = await client.GetGrain<IAccountGrain>(parse.GetRequiredValue(handle)).Onboard(new AccountSource(AccountSource.Folder, path));
            AnsiConsole.MarkupLineInterpolated($"[green]onboarded[/] {status.Handle} from {path}");
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var gateway = CommonOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("list", "List onboarded accounts.") { gateway, json };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            var handles = await client.GetGrain<IAccountRegistryGrain>(IAccountRegistryGrain.Key).List();
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
        var command = new Command("status", "Per-account status: last and next poll, posts seen, images, errors.") { handle, gateway, json };
        command.SetAction((parse, _) => Cluster.Run(parse.GetValue(gateway), async client =>
        {
            var handles = parse.GetValue(handle) is { } one
                ? [one]
                : await client.GetGrain<IAccountRegistryGrain>(IAccountRegistryGrain.Key).List();
            var statuses = await Task.WhenAll(handles.Select(h => client.GetGrain<IAccountGrain>(h).GetStatus()));
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(statuses, Output.Json));
                return 0;
            }

            var table = new Table().AddColumns("account", "state", "posts seen", "images", "failed", "last poll", "next poll", "last error");
            foreach (var s in statuses)
            {
                table.AddRow(Markup.Escape(s.Handle), s.State.ToString(), $"{s.PostsSeen}", $"{s.ImagesSubmitted}", $"{s.ImagesFailed}",
                    $"{s.LastPoll:u}", $"{s.NextPoll:u}", Markup.Escape(s.LastError ?? ""));
            }

            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
