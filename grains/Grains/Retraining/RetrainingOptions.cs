namespace Vitrina.Grains.Retraining;

/// <summary>Retraining from moderator labels (section <c>Vitrina:Training</c>).</summary>
public sealed class RetrainingOptions
{
    public const string Section = "Vitrina:Training";

    /// <summary>How often the training grain looks for new moderator labels.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Fewer labels than this are not worth a new model version.</summary>
    public int MinLabels { get; set; } = 20;

    public void Validate()
    {
        if (Interval <= TimeSpan.Zero || MinLabels < 1)
        {
            throw new ArgumentException(
                $"Vitrina:Training:Interval must be positive (is {Interval}) and Vitrina:Training:MinLabels at least 1 (is {MinLabels}).");
        }
    }
}
