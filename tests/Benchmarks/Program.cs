using Vitrina.Benchmarks;

// vitrina-bench [classifier|pipeline|all] [--seconds S] [--images N]
// Prints markdown tables (machine named) for docs/benchmarks.md.
var what = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
var seconds = double.Parse(Option("--seconds") ?? "3", System.Globalization.CultureInfo.InvariantCulture);
var images = int.Parse(Option("--images") ?? "300");

Console.WriteLine(Machine.Describe());
if (what is "classifier" or "all")
{
    await ClassifierBench.Run(TimeSpan.FromSeconds(seconds));
}

if (what is "pipeline" or "all")
{
    await PipelineBench.Run(images);
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
