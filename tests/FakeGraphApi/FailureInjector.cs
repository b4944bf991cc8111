namespace Vitrina.FakeGraphApi;

/// <summary>Chooses a fault for an API call: scripted ones first, then by the configured rates from a seeded random.</summary>
internal sealed class FailureInjector(FakeGraphOptions options)
{
    private readonly Lock gate = new();
    private readonly Queue<FakeFailure> scripted = new();
    private readonly Random random = new(options.Seed);

    public void Enqueue(FakeFailure failure, int times)
    {
        lock (gate)
        {
            for (var i = 0; i < times; i++)
            {
                scripted.Enqueue(failure);
            }
        }
    }

    public FakeFailure? Next()
    {
        lock (gate)
        {
            if (scripted.TryDequeue(out var next))
            {
                return next;
            }

            var roll = random.NextDouble();
            foreach (var (failure, rate) in new[]
                     {
                         (FakeFailure.ServerError, options.ServerErrorRate), (FakeFailure.HtmlPage, options.HtmlPageRate),
                         (FakeFailure.MalformedJson, options.MalformedJsonRate), (FakeFailure.Slow, options.SlowRate),
                     })
            {
                if (roll < rate)
                {
                    return failure;
                }

                roll -= rate;
            }

            return null;
        }
    }
}
