using Microsoft.Extensions.DependencyInjection;
using Vitrina.Catalogue;
using Vitrina.Images;
using Vitrina.Retraining;
using Vitrina.Tests.Support;
using Vitrina.Tests.Training;
using Vitrina.Training.Store;

namespace Vitrina.Tests.Cluster;

public sealed class TrainingScheduleTests
{
    /// <summary>Re-registering on activation used to push the next run an interval away each time the grain moved.</summary>
    [Fact]
    public async Task The_training_grain_keeps_its_schedule_through_reactivations()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path,
            new Dictionary<string, string?> { ["Vitrina:Training:Interval"] = "01:00:00" });
        var training = cluster.Client.GetGrain<ITrainingGrain>(0);
        var reminders = cluster.SiloServices().GetRequiredService<IReminderTable>();

        await training.Start();
        var scheduled = Assert.Single((await reminders.ReadRows(training.GetGrainId())).Reminders);
        await Task.Delay(50);
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await training.Start();

        var after = Assert.Single((await reminders.ReadRows(training.GetGrainId())).Reminders);
        Assert.Equal((scheduled.ReminderName, scheduled.StartAt, TimeSpan.FromHours(1)), (after.ReminderName, after.StartAt, after.Period));
    }

    [Fact]
    public async Task A_retraining_that_published_nothing_is_not_run_again_on_the_same_labels()
    {
        await using var database = new TestDatabase();
        using var models = new TempFolder();
        using var photos = new TempFolder();
        ModelStoreTests.SaveUntrained(new ModelStore(models.Path), "untrained");
        await using var cluster = await VitrinaTestCluster.Start(database, models.Path, new Dictionary<string, string?> { ["Vitrina:Training:MinLabels"] = "1" });
        var catalogue = cluster.Client.GetGrain<ICatalogueGrain>(0);
        using (var image = TestImages.Garment(TestImages.Colours["Blue"], 0, seed: 1))
        {
            File.WriteAllBytes(photos.Combine("1.jpg"), TestImages.Jpeg(image));
        }

        await catalogue.File(ModeratorLabelTests.Filed("shop/1", ImageStatus.Moderation, "Gray", "Bags") with { Source = new Uri(photos.Combine("1.jpg")).AbsoluteUri });
        await catalogue.Label(new ModeratorLabel { ImageId = "shop/1", Colour = "Gray", Category = "Bags" });
        // A labelled photo whose post was deleted since: left out, not fetched in vain at every run.
        await catalogue.File(ModeratorLabelTests.Filed("gone/2", ImageStatus.Moderation, "Gray", "Bags") with
        {
            Account = "gone", PostId = "2", Source = new Uri(photos.Combine("2.jpg")).AbsoluteUri,
        });
        await catalogue.Label(new ModeratorLabel { ImageId = "gone/2", Colour = "Gray", Category = "Bags" });
        await catalogue.Withdraw("gone", null);
        var training = cluster.Client.GetGrain<ITrainingGrain>(0);

        var first = await training.Retrain(); // one photo cannot be both trained on and held out
        var again = await training.Retrain();
        await catalogue.Label(new ModeratorLabel { ImageId = "shop/1", Colour = "Black", Category = "Bags" });
        var relabelled = await training.Retrain();

        Assert.Equal((1, 1, 0, null), (first.Labels, first.Photos, first.PhotosUnavailable, first.PublishedVersion));
        Assert.StartsWith("no new moderator labels since the last retraining", again.Outcome);
        Assert.Equal(0, again.Photos); // nothing fetched again
        Assert.Equal(1, relabelled.Photos);
    }
}
