using Orleans.Runtime;
using Vitrina.Training.Data;
using Vitrina.Training.Images;
using Vitrina.Training.Store;

namespace Vitrina.Client.Commands;

/// <summary>
/// The last line of defence for every command: an error that escapes a command is one line on stderr saying what failed,
/// with exit code 2 when it is about the input (a missing file, a damaged model, a refused image) and 1 otherwise,
/// instead of a stack trace. <c>VITRINA_DEBUG=1</c> prints the stack trace as well.
/// </summary>
public static class CliErrors
{
    public static int Report(Exception error)
    {
        var e = Unwrap(error);
        if (e is OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }

        var aboutInput = e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException
            or DatasetException or ModelUnavailableException or ImageRejectedException;
        Console.Error.WriteLine(aboutInput ? $"error: {e.Message}" : $"error: {Describe(e)}");
        if (Environment.GetEnvironmentVariable("VITRINA_DEBUG") is "1" or "true")
        {
            Console.Error.WriteLine(error);
        }
        else if (!aboutInput && e is not OrleansException)
        {
            Console.Error.WriteLine("(set VITRINA_DEBUG=1 for the stack trace)");
        }

        return aboutInput ? 2 : 1;
    }

    /// <summary>
    /// One line for an error: its type and the first line of its message, then the innermost cause. Orleans' storage
    /// errors, for one, put the cause's whole stack trace into their own message.
    /// </summary>
    public static string Describe(Exception error)
    {
        var e = Unwrap(error);
        var line = $"{e.GetType().Name}: {FirstLine(e.Message)}";
        var cause = e.GetBaseException();
        return ReferenceEquals(cause, e) ? line : $"{line} (cause: {cause.GetType().Name}: {FirstLine(cause.Message)})";
    }

    private static string FirstLine(string text)
    {
        var trimmed = text.Trim();
        var end = trimmed.IndexOf('\n');
        return end < 0 ? trimmed : trimmed[..end].TrimEnd();
    }

    /// <summary>Parallel loops and Orleans calls wrap the error that explains what happened.</summary>
    private static Exception Unwrap(Exception e) =>
        e is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && e.InnerException is { } inner
            ? Unwrap(inner)
            : e;
}
