namespace Vitrina.FakeGraphApi;

/// <summary>
/// The rate budget: calls in a rolling window against <see cref="FakeGraphOptions.CallBudget"/>, reported the way the
/// Graph API reports it in <c>X-App-Usage</c> and <c>X-Business-Use-Case-Usage</c>.
/// </summary>
internal sealed class UsageMeter(FakeGraphOptions options, TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly Queue<DateTimeOffset> calls = new();

    /// <summary>Counts one call if the budget allows it; refused calls do not count, as with the real API.</summary>
    public Reading Take()
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            while (calls.TryPeek(out var oldest) && oldest <= now - options.Window)
            {
                calls.Dequeue();
            }

            var budget = Math.Max(1, options.CallBudget);
            if (calls.Count >= budget)
            {
                var regain = calls.Peek() + options.Window - now;
                return new Reading(false, 100, Math.Max(1, (int)Math.Ceiling(regain.TotalMinutes)));
            }

            calls.Enqueue(now);
            return new Reading(true, Math.Min(100, calls.Count * 100 / budget), 0);
        }
    }

    public void Write(HttpResponse response, Reading reading, string businessId)
    {
        var p = reading.Percent;
        // CPU and time shares trail the call count, as they usually do for light read calls.
        response.Headers["X-App-Usage"] = $"{{\"call_count\":{p},\"total_cputime\":{p / 2},\"total_time\":{p * 3 / 4}}}";
        response.Headers["X-Business-Use-Case-Usage"] =
            $"{{\"{businessId}\":[{{\"type\":\"instagram\",\"call_count\":{p},\"total_cputime\":{p / 2},\"total_time\":{p * 3 / 4}," +
            $"\"estimated_time_to_regain_access\":{reading.RegainMinutes}}}]}}";
    }

    internal sealed record Reading(bool Allowed, int Percent, int RegainMinutes);
}
