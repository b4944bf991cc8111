using System.Diagnostics;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Vitrina.Grains.Catalogue;
using Vitrina.Grains.Classification;
using Vitrina.Grains.Placement;
using Vitrina.Grains.Sources;
using Vitrina.Training.Images;

namespace Vitrina.Grains.Images;

/// <summary>
/// One image's journey: fetch the bytes, prepare them for the model in service (the same
/// <see cref="ImagePreparation"/> training uses) and as the shelf's thumbnail, classify, and file the result in the
/// catalogue. Bad bytes end as a Failed row with the reason. The catalogue row is the image's durable record: the grain keeps no state of its own,
/// which spares a storage read and write per photo (a database round trip each in a cluster).
/// </summary>
/// <remarks>
/// A reentrant stateless worker rather than one activation per photo: activating, registering in the grain directory
/// and collecting a grain for every photo was a fifth of what a photo cost outside its preparation (docs/benchmarks.md,
/// "image grains as stateless workers"). Workers run on their caller's silo: a photo is prepared where its account
/// grain polls, and accounts spread over the ingest silos.
/// </remarks>
[StatelessWorker, Reentrant, SiloRole(SiloRoles.Ingest)]
public sealed class ImageGrain(
    ImageFetcher fetcher,
    DecodeMemory decodeMemory,
    IMediaUrlRefresher refresher,
    ModelInputCache modelInput,
    IOptions<ClassifierOptions> classifierOptions,
    IOptions<CatalogueDatabaseOptions> catalogueOptions,
    ImageMetrics metrics,
    ImageErrorLog errors,
    ILogger<ImageGrain> logger) : Grain, IImageGrain
{
    public async Task<ImageOutcome> Process(ImageWork work)
    {
        using var deadline = DeadlineOf(work);
        var cancellation = deadline?.Token ?? CancellationToken.None;
        var filing = 0L;
        var reached = new StageReached();
        try
        {
            var (outcome, thumbnail, failedAt) = await Classify(work, reached, cancellation);
            cancellation.ThrowIfCancellationRequested();
            filing = Stopwatch.GetTimestamp();
            reached.Stage = "file";
            // The deadline reaches the catalogue grain too: a filing not yet written when it passes is dropped.
            await CatalogueFor(work).File(CatalogueItems.From(work, outcome, thumbnail), cancellation);
            metrics.RecordStage("file", filing);
            metrics.RecordOutcome(outcome.Status, failedAt);
            return outcome;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            metrics.RecordAbandoned(reached.Stage);
            throw new TimeoutException($"image {work.ImageId} was not finished by its caller's deadline ({work.Deadline:HH:mm:ss.fff} UTC), " +
                $"stopped at {reached.Stage}; " + (filing == 0 ? "nothing was filed" : "its filing was dropped unless its batch was already being written"));
        }
        catch (Exception e) when (e is not (ClassifierQueueFullException or ImageDeferredException or ClassifierStoppingException
                                      or Sources.Instagram.GraphBudgetExhaustedException or Sources.Instagram.GraphRateLimitedException))
        {
            // Backpressure, deferrals, a classifier moving with its silo and a refresh of an expired link waiting for
            // the call budget are expected and counted where they happen; anything else is an error its account would
            // report as one line of text, without the photo or the stack.
            metrics.RecordErrored(Diagnostics.RepeatedErrors.KindOf(e));
            errors.Report(work, e);
            throw;
        }
    }

    public Task<byte[]> Photo(ImageWork work) => ByDeadline(work, $"image {work.ImageId} could not be fetched again", async cancellation =>
    {
        using var photo = await Fetch(work, cancellation);
        return photo.ToArray();
    });

    public Task RenewThumbnail(ImageWork work) => ByDeadline(work, $"the thumbnail of image {work.ImageId} was not made", async cancellation =>
    {
        using var photo = await Fetch(work, cancellation);
        var prepared = await Prepare(photo, await modelInput.Get(ClassifierFor(work)), cancellation);
        cancellation.ThrowIfCancellationRequested();
        return await CatalogueFor(work).FileThumbnail(work.ImageId, prepared.Thumbnail);
    });

    /// <summary>Runs <paramref name="run"/> until the work's deadline; past it, fails saying what was not done.</summary>
    private static async Task<T> ByDeadline<T>(ImageWork work, string notDone, Func<CancellationToken, Task<T>> run)
    {
        using var deadline = DeadlineOf(work);
        var cancellation = deadline?.Token ?? CancellationToken.None;
        try
        {
            return await run(cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"{notDone} by its caller's deadline ({work.Deadline:HH:mm:ss.fff} UTC)");
        }
    }

    private static CancellationTokenSource? DeadlineOf(ImageWork work)
    {
        if (work.Deadline is not { } deadline)
        {
            return null;
        }

        var left = deadline - DateTimeOffset.UtcNow;
        return new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    private IClassifierGrain ClassifierFor(ImageWork work) =>
        GrainFactory.GetGrain<IClassifierGrain>(GrainPool.Slot(work.ImageId, classifierOptions.Value.Activations));

    private ICatalogueGrain CatalogueFor(ImageWork work) =>
        GrainFactory.GetGrain<ICatalogueGrain>(GrainPool.Slot(work.ImageId, catalogueOptions.Value.WriterGrains));

    /// <summary>
    /// The model's input and the shelf's thumbnail from one decode, which is CPU work: kept off the grain scheduler's
    /// threads, and started once the silo's <see cref="DecodeMemory"/> has room for what the photo's header says it takes.
    /// </summary>
    private Task<PreparedWithThumbnail> Prepare(FetchedPhoto photo, ModelInfo model, CancellationToken cancellation)
    {
        var settings = new PreparationSettings(model.InputSize, Enum.Parse<ResizeMode>(model.Resize));
        return decodeMemory.Decode(
            () => ImagePreparation.Inspect(photo.Span, settings),
            plan => ImagePreparation.PrepareWithThumbnail(photo.Span, plan, catalogueOptions.Value.ThumbnailSide),
            cancellation);
    }

    /// <summary>Fetches the image; an expired Instagram link is exchanged once for a fresh one from the API.</summary>
    /// <param name="fetchBy">When the transfer must be done by; null: the fetcher's own limit.</param>
    private async Task<FetchedPhoto> Fetch(ImageWork work, CancellationToken cancellation, DateTimeOffset? fetchBy = null)
    {
        try
        {
            return await fetcher.Fetch(work.Source, cancellation, Until(fetchBy));
        }
        catch (ImageFetchException e) when (e.LinkExpired && work is { SourceKind: AccountSource.Instagram, MediaId: { } mediaId })
        {
            var fresh = await refresher.RefreshMediaUrl(mediaId, work.Account, cancellation)
                ?? throw new ImageFetchException($"the link expired and media {mediaId} no longer exists", e);
            logger.LogDebug("Image {ImageId}: link expired, fetching a fresh one", work.ImageId); // links expire by the thousand
            return await fetcher.Fetch(fresh, cancellation, Until(fetchBy));
        }
    }

    /// <summary>
    /// A fetch failure that may pass is tried again twice, about 1 and 3 s later, within the caller's deadline: a CDN
    /// blip costs seconds, not the post's place in the poll, and a CDN's <c>Retry-After</c> is waited for when it is
    /// short. One that lasts longer, or that the CDN says will (a longer <c>Retry-After</c>), defers the post to a later
    /// poll: asked again at once, a throttling CDN extends its block.
    /// </summary>
    /// <remarks>
    /// The transfers, retries included, have three quarters of the time left before the caller's deadline, the rest being
    /// for preparing, classifying and filing: a download that stalls then fails as one that may pass, and defers the post.
    /// Left to run into the deadline, a stalled download (its own limit is 60 s) timed the whole poll out instead, at
    /// every poll: the post was never deferred nor given up, and every newer post of the shop waited behind it. Waits of
    /// the silo's own (fetch memory, the call budget for an expired link) are not the CDN's, and keep the deadline.
    /// </remarks>
    private async Task<FetchedPhoto> FetchRidingOutBlips(ImageWork work, CancellationToken cancellation)
    {
        DateTimeOffset? fetchBy = work.Deadline is { } deadline ? DateTimeOffset.UtcNow + (deadline - DateTimeOffset.UtcNow) * 0.75 : null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await Fetch(work, cancellation, fetchBy);
            }
            catch (ImageFetchException e) when (e.Transient && attempt < FetchAttempts && !(e.RetryAfter > LongestBlip))
            {
                var wait = TimeSpan.FromSeconds(attempt == 1 ? 1 : 3) * (0.5 + Random.Shared.NextDouble());
                wait = e.RetryAfter > wait ? e.RetryAfter.Value : wait;
                if (DateTimeOffset.UtcNow + wait >= fetchBy)
                {
                    throw; // no time for another attempt: the post is deferred
                }

                await Task.Delay(wait, cancellation);
            }
        }
    }

    /// <summary>What is left of the fetch's time (<see cref="FetchRidingOutBlips"/>), for the transfer itself.</summary>
    private static TimeSpan? Until(DateTimeOffset? fetchBy) =>
        fetchBy is { } by ? TimeSpan.FromTicks(Math.Max(0, (by - DateTimeOffset.UtcNow).Ticks)) : null;

    private const int FetchAttempts = 3;

    /// <summary>A CDN that asks for a longer pause than this is not asked again within the poll: the post is deferred.</summary>
    private static readonly TimeSpan LongestBlip = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A full classifier queue is backpressure, not failure: a few jittered retries ride out a burst (about 1.5 s in
    /// all), then the refusal goes up to the account, which keeps fewer posts in flight (<see cref="Accounts.PostWindow"/>)
    /// and submits the post again. Waiting here longer held a prepared photo in memory per waiting grain, and after
    /// 16 s failed the whole poll: the classifier then idled until the poll was retried 15-30 s later. A classifier
    /// stopping with its silo is waited out for longer (about 16 s, up to 5 s apart): its grain moves to another silo
    /// once the stopping one has drained, and until then the same photo would only meet it again.
    /// </summary>
    private async Task<ClassificationResult> ClassifyWithBackoff(IClassifierGrain classifier, ClassifyRequest request, CancellationToken cancellation)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await classifier.Classify(request, cancellation);
            }
            catch (Exception e) when ((e is ClassifierQueueFullException && attempt < QueueFullAttempts) || (e is ClassifierStoppingException && attempt < StoppingAttempts))
            {
                // Jitter, so that the grains refused together do not all come back together.
                await Task.Delay(delay * (0.5 + Random.Shared.NextDouble()), cancellation);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
            catch (ClassifierQueueFullException)
            {
                metrics.RecordHandedBack();
                throw;
            }
        }
    }

    private const int QueueFullAttempts = 6;
    private const int StoppingAttempts = 10;

    /// <summary>
    /// The stage a photo is in (fetch, prepare, classify, file), for a photo stopped by its deadline to say where it
    /// was stuck: behind the fetch or decode memory, in the classifier's queue, or waiting for the catalogue.
    /// </summary>
    private sealed class StageReached
    {
        public string Stage { get; set; } = "fetch";
    }

    private async Task<(ImageOutcome Outcome, byte[]? Thumbnail, string? FailedAt)> Classify(ImageWork work, StageReached reached, CancellationToken cancellation)
    {
        var classifier = ClassifierFor(work);
        try
        {
            var stage = Stopwatch.GetTimestamp();
            using var photo = await FetchRidingOutBlips(work, cancellation);
            metrics.RecordStage("fetch", stage);
            ClassificationResult result;
            byte[] thumbnail;
            var model = await modelInput.Get(classifier);
            for (var attempt = 1; ; attempt++)
            {
                stage = Stopwatch.GetTimestamp();
                reached.Stage = "prepare";
                var prepared = await Prepare(photo, model, cancellation);
                metrics.RecordStage("prepare", stage);
                thumbnail = prepared.Thumbnail;
                stage = Stopwatch.GetTimestamp();
                try
                {
                    reached.Stage = "classify";
                    result = await ClassifyWithBackoff(classifier, new ClassifyRequest(prepared.Input.Width, prepared.Input.Height, prepared.Input.Pixels, model.Resize), cancellation);
                    metrics.RecordStage("classify", stage);
                    break;
                }
                catch (ModelChangedException) when (attempt < 3)
                {
                    // A model version with another input came into service: prepare the photo again for it.
                    metrics.RecordPreparedAgain();
                    model = await modelInput.Refresh(classifier);
                }
            }

            var outcome = new ImageOutcome
            {
                ImageId = work.ImageId,
                Status = result.NeedsModeration ? ImageStatus.Moderation : ImageStatus.Catalogued,
                Colour = result.Colour,
                ColourProbability = result.ColourProbability,
                Category = result.Category,
                CategoryProbability = result.CategoryProbability,
                ModelVersion = result.ModelVersion,
                InTaxonomyProbability = result.InTaxonomyProbability,
            };
            return (outcome, thumbnail, null);
        }
        catch (ImageFetchException e) when (e.Transient && !work.LastAttempt)
        {
            metrics.RecordDeferred();
            // Debug: a CDN outage defers every photo, and the account's poll says so once (vitrina.image.deferred counts them).
            logger.LogDebug("Image {ImageId} could not be fetched, tried again at a later poll: {Reason}", work.ImageId, e.Message);
            throw new ImageDeferredException($"image {work.ImageId}: {e.Message}") { RetryAfter = e.RetryAfter };
        }
        catch (Exception e) when (e is ImageFetchException or ImageRejectedException)
        {
            var stage = e is ImageFetchException ? "fetch" : "decode";
            logger.LogWarning("Image {ImageId} of account {Account}, post {PostId}, from {Source} failed at {Stage}: {Reason}",
                work.ImageId, work.Account, work.PostId, work.Source.GetLeftPart(UriPartial.Path), stage, e.Message);
            if (e is ImageRejectedException { DecoderFailed: true, InnerException: { } fault })
            {
                errors.ReportDecoderFault(work, fault); // the stack, at most once a minute alike
            }
            return (new ImageOutcome { ImageId = work.ImageId, Status = ImageStatus.Failed, Error = $"{stage}: {e.Message}" }, null, stage);
        }
    }
}
