using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Vitrina.Training.Store;

namespace Vitrina.Client.Commands;

/// <summary><c>vitrina models list|use</c>: the versions in the model store.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var models = new Command("models", "Model versions in the store: list them, choose the current one.");
        var store = CommonOptions.Store();
        var json = CommonOptions.Json();
        var list = new Command("list", "List model versions with their classes and headline metrics.") { store, json };
        list.SetAction(parse =>
        {
            var modelStore = new ModelStore(parse.GetValue(store)!, ModelStore.ShippedRoot);
            var manifests = modelStore.List();
            var current = modelStore.CurrentVersion();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { current, models = manifests }, ModelManifest.Json));
                return 0;
            }

            var table = new Table().AddColumns("", "version", "architecture", "input", "colours", "categories", "fitted on", "colour acc", "category acc");
            foreach (var m in manifests)
            {
                var mark = (m.Version == current ? "*" : "") + (ModelLoader.Supports(m) ? "" : "!");
                table.AddRow(mark, Markup.Escape(m.Version), m.Architecture, $"{m.Preparation.Size}",
                    $"{m.ColourClasses.Count}", $"{m.CategoryClasses.Count}", string.Join(" + ", m.FittedSplits),
                    m.Metrics.TryGetValue("colour.val.accuracy", out var c) ? $"{c:F3}" : "",
                    m.Metrics.TryGetValue("category.val.accuracy", out var k) ? $"{k:F3}" : "");
            }

            AnsiConsole.Write(table);
            if (manifests.Any(m => !ModelLoader.Supports(m)))
            {
                Console.WriteLine("! trained by another build of Vitrina: this one cannot serve its architecture (`models use` refuses it)");
            }

            return 0;
        });
        var version = new Argument<string>("version") { Description = "The version to serve." };
        var use = new Command("use", "Make a version current (after checking that it loads); running silos switch to it between batches. The store then keeps it through upgrades that ship a newer model.") { version, store };
        use.SetAction(parse =>
        {
            var modelStore = new ModelStore(parse.GetValue(store)!, ModelStore.ShippedRoot);
            var manifest = modelStore.Get(parse.GetRequiredValue(version));
            try
            {
                ModelLoader.Load(modelStore, manifest).Dispose(); // silos would refuse it; say so now
            }
            catch (ModelUnavailableException e)
            {
                Console.Error.WriteLine($"error: {e.Message} The current model is unchanged.");
                return 2;
            }

            modelStore.SetCurrent(manifest.Version);
            Console.WriteLine($"current model: {manifest.Version} (store {Path.GetFullPath(modelStore.Root)}; silos serving it switch between batches)");
            return 0;
        });
        var follow = new Command("follow", "Undo `models use` for upgrades: the store serves the next model shipped with a newer build again " +
            "(the current version stays until then).") { store };
        follow.SetAction(parse =>
        {
            var modelStore = new ModelStore(parse.GetValue(store)!, ModelStore.ShippedRoot);
            var was = modelStore.FollowShipped();
            // Reading the pointer takes in a shipped model newer than the current one at once.
            Console.WriteLine($"current model: {modelStore.CurrentVersion() ?? "none"} (was {was ?? "none"}); models shipped with newer builds " +
                              $"will be served (store {Path.GetFullPath(modelStore.Root)})");
            return 0;
        });
        models.Subcommands.Add(list);
        models.Subcommands.Add(use);
        models.Subcommands.Add(follow);
        return models;
    }
}
