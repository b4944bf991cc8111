using TorchSharp;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Models;
using Vitrina.Training.Store;
using static TorchSharp.torch;

namespace Vitrina.Training.Training;

/// <summary>
/// Retrains the current model's heads from moderator labels. A fifth of the labelled photos (chosen by image id, so
/// reruns agree) is held out; the retrained heads are published as a new current version only if they label those
/// held-out photos at least as well as the serving heads. Only heads over frozen features are retrained: the labels
/// are few, and the backbone never changes between versions. The taxonomy head learns from the photos moderators
/// excluded as none of the categories against those they labelled, once there are both; until then it is carried
/// over as it is.
/// </summary>
public static class CorrectionTrainer
{
    public const int Epochs = 60;

    /// <summary>The metric that names the moderator labels a version was trained on (<see cref="LabelSetFingerprint"/>).</summary>
    public const string LabelsFingerprint = "moderation.labels_fingerprint";

    /// <param name="manifest">The version in service, whose input the photos were prepared for: the new heads are judged against
    /// it, and published only while it is still current.</param>
    /// <param name="labels">The labels' <see cref="LabelSetFingerprint"/>: recorded, so that a retrain over the same labels can be skipped.</param>
    public static CorrectionResult Retrain(ModelStore store, ModelManifest manifest, IReadOnlyList<CorrectedPhoto> photos, double labels)
    {
        if (manifest.Architecture != GarmentModel.Name)
        {
            return new CorrectionResult(photos.Count, 0, 0, 0, null, $"model {manifest.Version} ({manifest.Architecture}) has no heads to retrain");
        }

        var usable = photos.Where(p => p.Image.Width == manifest.Preparation.Size && p.Image.Height == manifest.Preparation.Size).ToList();
        var heldOut = usable.Where(p => TextHash.Of(p.ImageId) % 5 == 0).ToList();
        var train = usable.Except(heldOut).ToList();
        if (train.Count == 0 || heldOut.Count == 0)
        {
            return new CorrectionResult(usable.Count, heldOut.Count, 0, 0, null, "too few labelled photos to both train and check");
        }

        using var serving = (GarmentModel)ModelLoader.Load(store, manifest);
        using var candidate = (GarmentModel)ModelLoader.Load(store, manifest);
        // Opened after loading: the models' weights, and the process-wide backbone if this loaded it first, outlive it.
        using var scope = NewDisposeScope();
        var trainFeatures = Features(serving, train);
        var heldOutFeatures = Features(serving, heldOut);
        var before = Accuracy(serving, heldOutFeatures, heldOut, manifest);

        manual_seed(1);
        Fit(candidate.ColourHead, trainFeatures, Labels(train, p => p.Colour, manifest.ColourClasses));
        Fit(candidate.CategoryHead, trainFeatures, Labels(train, p => p.Category, manifest.CategoryClasses));
        if (train.Any(p => p.Outside) && train.Any(p => !p.Outside))
        {
            Fit(candidate.TaxonomyHead, trainFeatures, train.Select(p => p.Outside ? 0L : 1L).ToArray());
        }
        candidate.eval();
        var after = Accuracy(candidate, heldOutFeatures, heldOut, manifest);
        if (after < before)
        {
            return new CorrectionResult(usable.Count, heldOut.Count, before, after, null, "kept the serving model: the retrained heads did worse on the held-out labels");
        }

        var metrics = new Dictionary<string, double>(manifest.Metrics)
        {
            ["moderation.labels"] = usable.Count,
            [LabelsFingerprint] = labels,
            ["moderation.heldout.accuracy_before"] = before,
            ["moderation.heldout.accuracy_after"] = after,
        };
        var saved = store.Save(manifest with
        {
            Version = store.NewVersion("moderated"),
            CreatedAt = DateTimeOffset.UtcNow,
            Metrics = metrics,
            Description = $"{manifest.Version} with its heads retrained on {train.Count} moderator labels ({heldOut.Count} held out).",
        }, candidate, makeCurrent: false);
        if (!store.SetCurrentIf(manifest.Version, saved.Version))
        {
            return new CorrectionResult(usable.Count, heldOut.Count, before, after, null,
                $"kept {store.CurrentVersion()}, made current while retraining from {manifest.Version}; the retrained heads are saved as {saved.Version}, not in service");
        }

        return new CorrectionResult(usable.Count, heldOut.Count, before, after, saved.Version, "published");
    }

    /// <summary>
    /// The features of every photo, 64 at a time, each chunk's pixels and features freed as soon as it is done: at the
    /// cap of 10,000 labels the pixels alone are 770 MB, which the caller's scope held to the end of the retraining.
    /// </summary>
    private static Tensor Features(GarmentModel model, IReadOnlyList<CorrectedPhoto> photos)
    {
        using var scope = NewDisposeScope();
        var chunks = new List<Tensor>();
        foreach (var chunk in photos.Chunk(64))
        {
            using var chunkScope = NewDisposeScope();
            chunks.Add(model.Features(PreparedBatch.ToTensor(chunk.Select(p => p.Image).ToList(), CPU)).MoveToOuterDisposeScope());
        }

        return cat(chunks).MoveToOuterDisposeScope();
    }

    private static long[] Labels(IReadOnlyList<CorrectedPhoto> photos, Func<CorrectedPhoto, string?> label, IReadOnlyList<string> classes) =>
        photos.Select(p => label(p) is { } l ? (long)classes.ToList().IndexOf(l) : -1).ToArray();

    /// <summary>Fine-tunes a trained head on the rows that carry a label (full batch: the labels are few).</summary>
    private static void Fit(nn.Module<Tensor, Tensor> head, Tensor features, long[] labels)
    {
        var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] >= 0).Select(i => (long)i).ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        var x = features.index_select(0, tensor(rows));
        var y = tensor(rows.Select(i => labels[i]).ToArray());
        using var optimizer = optim.AdamW(head.parameters(), lr: 1e-3, weight_decay: 1e-4);
        head.train();
        for (var epoch = 0; epoch < Epochs; epoch++)
        {
            using var step = NewDisposeScope();
            // BatchNorm needs two rows to estimate a batch's statistics; a single label trains in eval mode.
            if (rows.Length < 2)
            {
                head.eval();
            }

            var loss = nn.functional.cross_entropy(head.forward(x), y, label_smoothing: 0.05);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        head.eval();
    }

    /// <summary>
    /// Share of the held-out answers the model gets right: colour and category where the moderator gave them, and
    /// for every photo whether it is one of the categories at all (the taxonomy gate's verdict).
    /// </summary>
    private static double Accuracy(GarmentModel model, Tensor features, IReadOnlyList<CorrectedPhoto> photos, ModelManifest manifest)
    {
        using var _ = no_grad();
        model.eval();
        var predictions = ColourCategoryClassifier.ToPredictions(model.Heads(features), manifest);
        var right = 0;
        var total = 0;
        for (var i = 0; i < photos.Count; i++)
        {
            total++;
            right += predictions[i].IsInTaxonomy(manifest) != photos[i].Outside ? 1 : 0;

            if (photos[i].Colour is { } colour)
            {
                total++;
                right += predictions[i].Colour == colour ? 1 : 0;
            }

            if (photos[i].Category is { } category)
            {
                total++;
                right += predictions[i].Category == category ? 1 : 0;
            }
        }

        return total == 0 ? 0 : right / (double)total;
    }
}
