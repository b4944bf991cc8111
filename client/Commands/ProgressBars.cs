using Spectre.Console;
using Vitrina.Training.Training;

namespace Vitrina.Client.Commands;

/// <summary>
/// Spectre progress bars fed by training's <see cref="TrainingProgress"/> reports, one bar per stage. They draw on
/// standard error, so that standard output stays clean for results (`--json`, CSV paths).
/// </summary>
public static class ProgressBars
{
    public static readonly IAnsiConsole Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });

    public static T Run<T>(string title, Func<IProgress<TrainingProgress>, T> work)
    {
        T result = default!;
        Console.MarkupLineInterpolated($"[bold]{title}[/]");
        Console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var tasks = new Dictionary<string, ProgressTask>();
                var progress = new InlineProgress<TrainingProgress>(p =>
                {
                    if (!tasks.TryGetValue(p.Stage, out var task))
                    {
                        task = tasks[p.Stage] = context.AddTask(Markup.Escape(p.Stage), maxValue: Math.Max(1, p.Total));
                    }

                    task.Value = p.Done;
                    if (p.Detail is { } detail)
                    {
                        task.Description = Markup.Escape($"{p.Stage} {p.Done}/{p.Total}: {detail}");
                    }
                });
                result = work(progress);
            });
        return result;
    }
}
