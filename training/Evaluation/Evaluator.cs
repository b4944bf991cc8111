using Vitrina.Training.Inference;
using Vitrina.Training.Training;
using static TorchSharp.torch;

namespace Vitrina.Training.Evaluation;

/// <summary>Runs a model over labelled photos and scores each task on the photos that carry its label.</summary>
public static class Evaluator
{
    public const int BatchSize = 64;

    /// <param name="transform">Applied to each uint8 batch before classification (robustness checks); none by default.</param>
    public static IReadOnlyList<Prediction> PredictAll(
        CatalogueClassifier classifier, PreparedSet set, IProgress<int>? progress = null, Func<Tensor, Tensor>? transform = null)
    {
        var predictions = new List<Prediction>(set.Count);
        for (var start = 0; start < set.Count; start += BatchSize)
        {
            using var scope = NewDisposeScope();
            var batch = CatalogueClassifier.ToBatch(set.Images.Skip(start).Take(BatchSize).ToList(), CPU);
            predictions.AddRange(classifier.Classify(transform is null ? batch : transform(batch)));
            progress?.Report(predictions.Count);
        }

        return predictions;
    }

    public static IReadOnlyList<TaskEvaluation> Evaluate(
        CatalogueClassifier classifier, PreparedSet set, IProgress<int>? progress = null, Func<Tensor, Tensor>? transform = null)
    {
        return ScoreBoth(classifier.Manifest, set, PredictAll(classifier, set, progress, transform));
    }

    /// <summary>Scores colour and category predictions made for every photo of <paramref name="set"/>, in order.</summary>
    public static IReadOnlyList<TaskEvaluation> ScoreBoth(Store.ModelManifest manifest, PreparedSet set, IReadOnlyList<Prediction> predictions) =>
    [
        Score("colour", manifest.ColourClasses, set, predictions, r => r.Colour, p => (p.Colour, p.ColourProbability, p.ColourTop2)),
        Score("category", manifest.CategoryClasses, set, predictions, r => r.Category, p => (p.Category, p.CategoryProbability, p.CategoryTop2)),
    ];

    public static TaskEvaluation Score(
        string task, IReadOnlyList<string> classes, PreparedSet set, IReadOnlyList<Prediction> predictions,
        Func<Data.LabelledImage, string?> label, Func<Prediction, (string Label, float P, IReadOnlyList<string> Top2)> pick)
    {
        var actual = new List<string>();
        var predicted = new List<string>();
        var confidence = new List<float>();
        var top2 = new List<IReadOnlyList<string>>();
        for (var i = 0; i < set.Count; i++)
        {
            if (label(set.Rows[i]) is not { } truth)
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
