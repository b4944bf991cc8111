using System.Diagnostics;
using Vitrina.ClusterHarness;

namespace Vitrina.Tests.Support;

/// <summary>Runs the real `vitrina` CLI, from the client project's own build, as a child process.</summary>
public static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Task<Result> Run(string workingDirectory, params string[] args) =>
        Run(workingDirectory, new Dictionary<string, string>(), args);

    /// <param name="environment">Variables set for the CLI only (e.g. the cluster connection of a PostgreSQL cluster).</param>
    public static async Task<Result> Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(BuiltProgram.Cli);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Left running, it would hold its ports and connections through the tests after this one.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"vitrina {string.Join(' ', args)} ran past 3 minutes and was killed; stdout: {await output}; stderr: {await error}");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
