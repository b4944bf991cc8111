using System.Text.Json;
using System.Text.Json.Serialization;
using Vitrina.Training.Images;

namespace Vitrina.Training.Store;

/// <summary>Everything needed to use a saved model version: written as manifest.json beside its weights.</summary>
public sealed record ModelManifest
{
    public required string Version { get; init; }
    public required string Architecture { get; init; }
    public required PreparationSettings Preparation { get; init; }
    public required IReadOnlyList<string> ColourClasses { get; init; }
    public required IReadOnlyList<string> CategoryClasses { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Below this probability a label goes to the moderation queue instead of the catalogue.</summary>
    public double ModerationThreshold { get; init; }

    /// <summary>
    /// Below this probability that the photo shows one of the catalogue's categories at all, it goes to the moderation
    /// queue as well. 0 for models without a taxonomy head.
    /// </summary>
    public double TaxonomyThreshold { get; init; }

    /// <summary>Headline numbers measured at training time (e.g. "colour.val.accuracy").</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    public string Description { get; init; } = "";

    /// <summary>
    /// The splits of the training data whose photos the saved weights were fitted on. "val" is here when the heads were
    /// refitted on it after being measured (<c>vitrina train --refit-with-val</c>): scoring that split again is then no
    /// held-out measure, and the figures in <see cref="Metrics"/> are those of the twin fitted on train alone.
    /// </summary>
    public IReadOnlyList<string> FittedSplits { get; init; } = ["train"];

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };
}
