using Vitrina.Benchmarks;

// vitrina-bench [classifier|pipeline|catalogue|cluster|instagram|all|decode|precision] [--seconds S] [--delays-only] [--images N] [--rows N] [--concurrency N] [--shops N] [--photo-side PX] [--accounts N] [--polled N] [--calls-per-minute N]
// cluster needs PostgreSQL: VITRINA_BENCH_PG (default: the dev database from deploy/pg-up.sh).
// Prints markdown tables (machine named) for docs/benchmarks.md.
var what = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
var seconds = double.Parse(Option("--seconds") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
var images = int.Parse(Option("--images") ?? "300");

Console.WriteLine(Machine.Describe());
if (what is "classifier" or "all")
{
    await ClassifierBench.Run(TimeSpan.FromSeconds(seconds), args.Contains("--delays-only"));
}

if (what is "pipeline" or "all")
{
    await PipelineBench.Run(images, int.Parse(Option("--shops") ?? "32"), Option("--photo-side") is { } side ? int.Parse(side) : null);
}

if (what is "catalogue" or "all")
{
    await CatalogueBench.Run(int.Parse(Option("--rows") ?? "5000"), int.Parse(Option("--concurrency") ?? "128"));
}

if (what is "cluster" or "all")
{
    await ClusterBench.Run(images, Environment.GetEnvironmentVariable("VITRINA_BENCH_PG")
        ?? "Host=127.0.0.1;Port=5432;Username=vitrina;Password=vitrina;Database=vitrina");
}

if (what is "instagram" or "all")
{
    await InstagramBench.Run(int.Parse(Option("--accounts") ?? "10000"), int.Parse(Option("--polled") ?? "1000"),
        int.Parse(Option("--calls-per-minute") ?? "1200"));
}

if (what is "decode")
{
    // Not in "all": it reads the shared data sets (--data, default /work/shared/data); --agreement (or --agreement-only)
    // runs the shipped model on the Myntra val split with either decoder.
    if (!args.Contains("--agreement-only"))
    {
        DecodeBench.Run(images, seconds, Option("--data"));
    }

    if (args.Contains("--agreement") || args.Contains("--agreement-only"))
    {
        DecodeBench.Agreement(Option("--data") is { } data ? Path.Combine(data, "myntra") : null);
    }
}

if (what is "precision")
{
    // Not in "all": float16 on a CPU is correct but slow; this is a GPU check (deploy/gpu/gpu-check.sh runs it).
    PrecisionBench.Run(int.Parse(Option("--images") ?? "512"), Option("--data"));
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
