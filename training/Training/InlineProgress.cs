namespace Vitrina.Training.Training;

/// <summary>
/// Reports on the reporting thread, one at a time: <see cref="Progress{T}"/> posts each report to the thread pool, where
/// they arrive out of order and after the work has ended (a bar left below 100 %).
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock gate = new();

    public void Report(T value)
    {
        lock (gate)
        {
            report(value);
        }
    }
}
