namespace Vitrina.Training.Images;

/// <summary>
/// Reads <c>VITRINA_DECODER</c> (<c>auto</c>, the default, <c>imagesharp</c> or <c>skia</c>) once per process, so that
/// training, evaluation and inference in one process always decode alike, and a run can be repeated with another decoder.
/// </summary>
public static class DecoderSwitch
{
    public const string Variable = "VITRINA_DECODER";

    private static readonly Lazy<DecoderChoice> FromEnvironment = new(() => Parse(Environment.GetEnvironmentVariable(Variable)));

    public static DecoderChoice Default => FromEnvironment.Value;

    public static DecoderChoice Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => DecoderChoice.Auto,
        "imagesharp" => DecoderChoice.ImageSharp,
        "skia" => DecoderChoice.Skia,
        _ => throw new ArgumentException($"{Variable}={value} is not a decoder; use auto, imagesharp or skia"),
    };
}
