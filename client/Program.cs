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
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    return CliErrors.Report(e);
}
