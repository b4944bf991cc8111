using Microsoft.Extensions.DependencyInjection;
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
}
