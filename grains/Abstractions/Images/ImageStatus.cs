namespace Vitrina.Images;

/// <summary>Where an image ended up.</summary>
[GenerateSerializer, Alias("Vitrina.ImageStatus")]
public enum ImageStatus
{
    /// <summary>Labelled confidently: in the catalogue.</summary>
    Catalogued,

    /// <summary>Labelled below the model's confidence threshold: waiting for a moderator.</summary>
    Moderation,

    /// <summary>Could not be fetched or decoded; <see cref="ImageOutcome.Error"/> says why.</summary>
    Failed,

    /// <summary>A moderator judged it outside the catalogue's categories: in neither the catalogue nor the queue.</summary>
    Excluded,

    /// <summary>
    /// Its post is gone from the shop's account (sold and deleted, archived): off the shelves and out of the queue, kept
    /// with its labels, and back where it was if the post reappears.
    /// </summary>
    Withdrawn,
}
