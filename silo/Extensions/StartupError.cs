namespace Vitrina.Silo.Extensions;

/// <summary>One line for an operator from an exception that stopped the silo starting: its message and its causes'.</summary>
public static class StartupError
{
    public static string Describe(Exception e)
    {
        if (e is OperationCanceledException)
        {
            return "timed out preparing the cluster database (30 s): is PostgreSQL reachable at Vitrina:Cluster:ConnectionString?";
        }

        var messages = new List<string>();
        for (var cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is AggregateException { InnerExceptions.Count: > 1 } many)
            {
                messages.AddRange(many.InnerExceptions.Select(i => i.Message));
                break;
            }

            if (!messages.Contains(cause.Message))
            {
                messages.Add(cause.Message);
            }
        }

        return string.Join(" <- ", messages);
    }
}
