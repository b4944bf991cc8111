namespace Vitrina.Training.Images;

/// <summary>How a photo is fitted to the model's square input.</summary>
public enum ResizeMode
{
    /// <summary>Squash the whole photo to the square, as Keras' flow_from_directory does (the paper's setting).</summary>
    Stretch,

    /// <summary>Keep the aspect ratio and pad the short side with the photo's own edge colour.</summary>
    Pad,
}
