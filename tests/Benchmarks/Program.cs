using Vitrina.Benchmarks;

// Prints markdown tables (machine named) for docs/benchmarks.md; `vitrina-bench --help` lists the commands and options.
const string Usage = """
    vitrina-bench [classifier|pipeline|catalogue|cluster|instagram|all|decode|precision] [options]   (default: all)
      --seconds S            seconds per classifier point (3)        --delays-only     the classifier's max-delay table only
      --batches LIST         classifier batch sizes (1,8,32,128,512)
      --images N             photos for pipeline, cluster, decode (300), precision (512)
      --shops N              accounts polled at once by pipeline (32) --photo-side PX   enlarge pipeline photos first (1080: Instagram's size)
      --fetch-memory MB      pipeline: the silo's memory for photos fetched and not yet classified (default: sized from the machine's memory)
      --progressive          pipeline: write the photos as progressive JPEGs (as many web encoders and CDNs serve them)
      --instant-classifier   pipeline: answer every photo at once instead of running the model, as a GPU that keeps up
                             would: the pipeline's CPU side alone (fetch, prepare, grain calls, catalogue)
      --rows N               rows filed by catalogue (5000)           --concurrency N   filings in flight (128)
      --accounts N, --polled N, --calls-per-minute N                  instagram onboarding (10000, 1000, 1200)
      --data DIR             shared data sets for decode and precision (/work/shared/data); decode: --agreement, --agreement-only
    cluster needs PostgreSQL (VITRINA_BENCH_PG, default the dev database from deploy/pg-up.sh); catalogue and pipeline
    file into it when set, and into SQLite otherwise.
    """;
string[] commands = ["classifier", "pipeline", "catalogue", "cluster", "instagram", "all", "decode", "precision"];
string[] flags = ["--delays-only", "--agreement", "--agreement-only", "--progressive", "--instant-classifier"];
string[] valued = ["--seconds", "--batches", "--images", "--rows", "--concurrency", "--shops", "--photo-side", "--fetch-memory", "--accounts", "--polled", "--calls-per-minute", "--data"];
if (args.Any(a => a is "--help" or "-h" or "-?"))
{
    Console.WriteLine(Usage);
    return 0;
}

// A mistyped argument must not start the hour-long "all" run.
for (var i = 0; i < args.Length; i++)
{
    if (valued.Contains(args[i]))
    {
        if (++i == args.Length)
        {
            return Refuse($"{args[i - 1]} needs a value");
        }
    }
    else if (!commands.Contains(args[i]) && !flags.Contains(args[i]))
    {
        return Refuse($"'{args[i]}' is neither a command nor an option");
    }
}

var batchSizes = (Option("--batches") ?? "1,8,32,128,512").Split(',').Select(b => int.TryParse(b, out var n) && n > 0 ? n : 0).ToArray();
if (batchSizes.Contains(0))
{
    return Refuse($"--batches takes batch sizes separated by commas (1,8,32), not '{Option("--batches")}'");
}

Vitrina.Training.NativeHeap.KeepFreedMemory();
var what = args.FirstOrDefault(a => commands.Contains(a)) ?? "all";
var seconds = double.Parse(Option("--seconds") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
var images = int.Parse(Option("--images") ?? "300");

Console.WriteLine(Machine.Describe());
if (what is "classifier" or "all")
{
    await ClassifierBench.Run(TimeSpan.FromSeconds(seconds), batchSizes, args.Contains("--delays-only"));
}

if (what is "pipeline" or "all")
{
    await PipelineBench.Run(images, int.Parse(Option("--shops") ?? "32"), Option("--photo-side") is { } side ? int.Parse(side) : null,
        Option("--fetch-memory") is { } megabytes ? int.Parse(megabytes) : null, args.Contains("--progressive"), args.Contains("--instant-classifier"));
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

return 0;

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static int Refuse(string why)
{
    Console.Error.WriteLine($"vitrina-bench: {why}. --help lists them.");
    return 2;
}
