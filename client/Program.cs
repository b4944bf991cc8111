using System.CommandLine;
using Vitrina.Client.Commands;
using Vitrina.Training;

NativeHeap.KeepFreedMemory();
if (Console.IsOutputRedirected)
{
    // Piped or written to a file, a table keeps one line per row instead of wrapping its cells at 80 columns.
    Spectre.Console.AnsiConsole.Profile.Width = 1000;
}

var root = new RootCommand("vitrina: a marketplace catalogue of shop photos, sorted by colour and category by neural networks.")
{
    AccountsCommands.Create(),
    CatalogueCommands.Create(),
    TrainCommand.Create(),
    EvaluateCommand.Create(),
    PredictCommand.Create(),
    ModelsCommand.Create(),
    InstagramCommands.Create(),
    DbCommands.Create(),
    SilosCommand.Create(),
};
try
{
    var parsed = root.Parse(args);
    var exitCode = await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
    // A usage error is an input error: exit 2 like the others (System.CommandLine's own answer is 1).
    return parsed.Errors.Count > 0 ? 2 : exitCode;
}
catch (Exception e)
{
    return CliErrors.Report(e);
}
