using Vitrina.Training.Data;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Training;
using static TorchSharp.torch;

namespace Vitrina.Training.Evaluation;

/// <summary>Runs a model over labelled photos and scores each task on the photos that carry its label.</summary>
public static class Evaluator
{
    public const int BatchSize = 64;

    /// <summary>Photos prepared at a time by <see cref="EvaluateFolder"/>: 77 kB each at 160 px.</summary>
    private const int Chunk = 1024;

    /// <param name="transform">Applied to each uint8 batch before classification (robustness checks); none by default.</param>
    public static IReadOnlyList<Prediction> PredictAll(
        ColourCategoryClassifier classifier, IReadOnlyList<PreparedImage> images, IProgress<int>? progress = null, Func<Tensor, Tensor>? transform = null)
    {
        var predictions = new List<Prediction>(images.Count);
        for (var start = 0; start < images.Count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var batch = PreparedBatch.ToTensor(images.Skip(start).Take(BatchSize).ToList(), CPU);
            predictions.AddRange(classifier.Classify(transform is null ? batch : transform(batch)));
            progress?.Report(predictions.Count);
        }

        return predictions;
    }

    public static IReadOnlyList<TaskEvaluation> Evaluate(
        ColourCategoryClassifier classifier, PreparedSet set, IProgress<int>? progress = null, Func<Tensor, Tensor>? transform = null) =>
        ScoreBoth(classifier.Manifest, set.Rows, PredictAll(classifier, set.Images, progress, transform));

    /// <summary>
    /// Prepares and classifies the photos of a labelled folder a chunk at a time, so that a folder of any size is scored
    /// in bounded memory (all of Myntra prepared at once would be 2 GB). Progress: photos done of all.
    /// </summary>
    public static (IReadOnlyList<TaskEvaluation> Evaluations, IReadOnlyList<SkippedImage> Skipped) EvaluateFolder(
        ColourCategoryClassifier classifier, IReadOnlyList<LabelledImage> rows, IProgress<int>? progress = null, Func<Tensor, Tensor>? transform = null)
    {
        var scored = new List<LabelledImage>(rows.Count);
        var predictions = new List<Prediction>(rows.Count);
        var skipped = new List<SkippedImage>();
        foreach (var chunk in rows.Chunk(Chunk))
        {
            var set = PreparedSet.Prepare(chunk, classifier.Manifest.Preparation);
            skipped.AddRange(set.Skipped);
            scored.AddRange(set.Rows);
            predictions.AddRange(PredictAll(classifier, set.Images, transform: transform));
            progress?.Report(scored.Count + skipped.Count);
        }

        var evaluations = ScoreBoth(classifier.Manifest, scored, predictions);
        return (classifier.Manifest.TaxonomyThreshold > 0 ? [.. evaluations, ScoreTaxonomy(classifier.Manifest, scored, predictions)] : evaluations, skipped);
    }

    /// <summary>
    /// The taxonomy task's answers: the photo shows none of the catalogue's categories, or one of them. labels.csv leaves
    /// a photo's category empty when none fits it.
    /// </summary>
    public static readonly IReadOnlyList<string> TaxonomyClasses = ["outside", "inside"];

    /// <summary>
    /// Scores the taxonomy gate on every photo: those with a category should pass it, those without should not. Its
    /// confidence is that of the gate's answer, so the coverage table reads as for the other tasks.
    /// </summary>
    public static TaskEvaluation ScoreTaxonomy(Store.ModelManifest manifest, IReadOnlyList<LabelledImage> rows, IReadOnlyList<Prediction> predictions) =>
        Score("taxonomy", TaxonomyClasses, rows, predictions, r => r.CategoryUnknown ? null : TaxonomyClasses[r.Category is null ? 0 : 1], p =>
        {
            var inside = p.IsInTaxonomy(manifest);
            return inside
                ? (TaxonomyClasses[1], p.InTaxonomyProbability, [TaxonomyClasses[1], TaxonomyClasses[0]])
                : (TaxonomyClasses[0], 1 - p.InTaxonomyProbability, TaxonomyClasses);
        });

    /// <summary>Scores colour and category predictions made for every one of <paramref name="rows"/>, in order.</summary>
    public static IReadOnlyList<TaskEvaluation> ScoreBoth(Store.ModelManifest manifest, IReadOnlyList<LabelledImage> rows, IReadOnlyList<Prediction> predictions) =>
    [
        Score("colour", manifest.ColourClasses, rows, predictions, r => r.Colour, p => (p.Colour, p.ColourProbability, p.ColourTop2)),
        Score("category", manifest.CategoryClasses, rows, predictions, r => r.Category, p => (p.Category, p.CategoryProbability, p.CategoryTop2)),
    ];

    public static TaskEvaluation Score(
        string task, IReadOnlyList<string> classes, IReadOnlyList<LabelledImage> rows, IReadOnlyList<Prediction> predictions,
        Func<LabelledImage, string?> label, Func<Prediction, (string Label, float P, IReadOnlyList<string> Top2)> pick)
    {
        var actual = new List<string>();
        var predicted = new List<string>();
        var confidence = new List<float>();
        var top2 = new List<IReadOnlyList<string>>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (label(rows[i]) is not { } truth)
            {
                continue;
            }

            var (l, p, t) = pick(predictions[i]);
            actual.Add(truth);
            predicted.Add(l);
            confidence.Add(p);
            top2.Add(t);
        }

        return TaskEvaluation.Compute(task, classes, actual, predicted, confidence, top2);
    }
}
