namespace Vitrina.Training.Reports;

/// <summary>The losses and accuracies of one training epoch, for learning curves.</summary>
public sealed record EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, double ValLoss, double ValAccuracy);

/// <summary>The per-epoch results of training one task, collected during training and plotted afterwards.</summary>
public sealed class TrainingHistory(string task)
{
    public string Task { get; } = task;

    // Settable so System.Text.Json can read a saved history back.
    public List<EpochResult> Epochs { get; init; } = [];

    public void Add(EpochResult result) => Epochs.Add(result);

    public EpochResult Add(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy)
    {
        var result = new EpochResult(epoch, trainLoss, trainAccuracy, valLoss, valAccuracy);
        Epochs.Add(result);
        return result;
    }
}
