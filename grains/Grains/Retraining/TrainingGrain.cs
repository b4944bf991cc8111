using Microsoft.Extensions.Options;
using Vitrina.Catalogue;
using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Images;
using Vitrina.Grains.Placement;
using Vitrina.Images;
using Vitrina.Retraining;
using Vitrina.Training;
using Vitrina.Training.Images;
using Vitrina.Training.Store;
using Vitrina.Training.Training;

namespace Vitrina.Grains.Retraining;

/// <summary>
/// Turns moderator labels into a better model: gathers the labelled photos again through image grains, retrains the
/// current model's heads on them (<see cref="CorrectionTrainer"/>: held-out check before publishing) and makes the result
/// current in this silo's model store, which the silo's model host picks up between batches. Runs on a classify silo,
/// where the backbone is loaded anyway.
/// </summary>
[SiloRole(SiloRoles.Classify)]
public sealed class TrainingGrain(
    IOptions<RetrainingOptions> options, IOptions<ClassifierOptions> classifier, DecodeMemory decodeMemory, UnpublishedRetraining unpublished,
    ILogger<TrainingGrain> logger)
    : Grain, ITrainingGrain, IRemindable
{
    private const string Schedule = "retrain";
    private const int MaxLabels = 10_000; // the most one catalogue listing returns

    /// <summary>
    /// Registers the schedule only when it is missing: registering again would push the next run a whole interval away
    /// on every activation, and with silos restarting more often than that, retraining would never run. The interval
    /// is in the reminder's name, so a changed <c>Interval</c> replaces the old schedule.
    /// </summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.Interval;
        var name = $"{Schedule}-{interval}";
        var reminders = await this.GetReminders();
        if (reminders.All(r => r.ReminderName != name))
        {
            await this.RegisterOrUpdateReminder(name, interval, interval);
        }

        foreach (var stale in reminders.Where(r => r.ReminderName != name))
        {
            await this.UnregisterReminder(stale);
        }
    }

    public Task Start() => Task.CompletedTask;

    /// <summary>
    /// Starts the retraining in a turn of its own and returns: a tick that ran it for minutes would be logged as failed
    /// by the reminder service.
    /// </summary>
    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        IGrainTimer? once = null;
        once = this.RegisterGrainTimer(async _ =>
        {
            once?.Dispose();
            try
            {
                await Retrain();
            }
            catch (Exception e)
            {
                logger.LogError(e, "Scheduled retraining from moderator labels failed; the serving model stays");
            }
        }, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    public async Task<RetrainingReport> Retrain()
    {
        var store = new ModelStore(classifier.Value.ModelStore, ModelStore.ShippedRoot);
        // File work that may copy the shipped model in and wait on the store's pointer lock: off the grain's scheduler.
        var serving = await Task.Run(store.Current);
        // Newest first: past the listing's cap, the labels left out are the oldest.
        // A withdrawn photo's post is gone from the shop, so its photo cannot be fetched again (its labels come back
        // with the post): asked for, each would cost a failed download and a reading of its shop's list.
        var labelled = (await GrainFactory.GetGrain<ICatalogueGrain>(0).List(
                new CatalogueQuery { ModelVersion = ModeratorLabel.Source, Limit = MaxLabels, NewestFirst = true }))
            .Where(item => item.Status != ImageStatus.Withdrawn).ToList();
        if (labelled.Count < options.Value.MinLabels)
        {
            return Report(labelled.Count, $"{labelled.Count} moderator labels; retraining waits for {options.Value.MinLabels}");
        }

        var fingerprint = LabelSetFingerprint.Of(labelled.Select(l => (l.ImageId, l.UpdatedAt)));
        if (serving.Metrics.TryGetValue(CorrectionTrainer.LabelsFingerprint, out var trainedOn) && trainedOn == fingerprint)
        {
            return Report(labelled.Count, $"no new moderator labels since model {serving.Version}");
        }

        if (unpublished.Covers(serving.Version, fingerprint))
        {
            return Report(labelled.Count, $"no new moderator labels since the last retraining, which kept model {serving.Version}");
        }

        var photos = new List<CorrectedPhoto>();
        var unavailable = 0;
        foreach (var chunk in labelled.Chunk(16))
        {
            var fetched = await Task.WhenAll(chunk.Select(item => Prepare(item, serving.Preparation)));
            photos.AddRange(fetched.OfType<CorrectedPhoto>());
            unavailable += fetched.Count(p => p is null);
        }

        // Feature extraction and head training are seconds to minutes of CPU: off the grain's scheduler.
        var result = await Task.Run(() =>
        {
            try
            {
                return CorrectionTrainer.Retrain(store, serving, photos, fingerprint);
            }
            finally
            {
                NativeHeap.ReturnFreedMemory(); // the features of thousands of photos: a peak the classifier's batches never reach
            }
        });
        if (result.PublishedVersion is null && unavailable == 0)
        {
            unpublished.Remember(serving.Version, fingerprint);
        }
        else
        {
            unpublished.Forget(); // with photos unavailable, a later try may fetch more of them and reach another verdict
        }
        logger.LogInformation("Retraining from {Labels} moderator labels ({Photos} photos, {Unavailable} unavailable): {Outcome}, held-out accuracy {Before:F3} -> {After:F3}, version {Version}",
            labelled.Count, photos.Count, unavailable, result.Outcome, result.AccuracyBefore, result.AccuracyAfter, result.PublishedVersion);
        return new RetrainingReport
        {
            Labels = labelled.Count,
            Photos = photos.Count,
            PhotosUnavailable = unavailable,
            HeldOut = result.HeldOut,
            AccuracyBefore = result.AccuracyBefore,
            AccuracyAfter = result.AccuracyAfter,
            PublishedVersion = result.PublishedVersion,
            Outcome = result.Outcome,
        };
    }

    private async Task<CorrectedPhoto?> Prepare(CatalogueItem item, PreparationSettings settings)
    {
        try
        {
            if (CatalogueItems.ToWork(item) is not { } work)
            {
                return null;
            }

            var bytes = await GrainFactory.GetGrain<IImageGrain>(IImageGrain.Key).Photo(work);
            // As in the image grain: off the grain scheduler's threads, once the silo's decode memory has room.
            var prepared = await decodeMemory.Decode(() => ImagePreparation.Inspect(bytes, settings), plan => ImagePreparation.Prepare(bytes, plan), CancellationToken.None);
            // An excluded photo keeps the model's guesses on its row; what the moderator said is only "none of these".
            return item.Status == ImageStatus.Excluded
                ? new CorrectedPhoto(item.ImageId, prepared, null, null, Outside: true)
                : new CorrectedPhoto(item.ImageId, prepared, item.Colour, item.Category);
        }
        catch (Exception e) when (e is ImageRejectedException or Images.ImageFetchException or Sources.PostSourceUnavailableException
            or IOException or TimeoutException)
        {
            logger.LogWarning("Moderated image {ImageId} left out of retraining: {Error}", item.ImageId, e.Message);
            return null;
        }
    }

    private static RetrainingReport Report(int labels, string outcome) => new() { Labels = labels, Outcome = outcome };
}
