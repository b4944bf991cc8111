namespace Vitrina.Training.Images;

/// <summary>
/// libjpeg-turbo declined a JPEG planned for its reduced decode (<see cref="DecodePlan.ReplanOnDecline"/>): ImageSharp
/// decodes it at full size, which takes far more memory than was reserved, so the caller reserves
/// <see cref="Plan"/>'s memory and decodes again with it.
/// </summary>
public sealed class DecodeReplanException(DecodePlan plan)
    : Exception($"the JPEG decoder for reduced decodes declined a {plan.Width}x{plan.Height} photo; decode it at full size")
{
    public DecodePlan Plan { get; } = plan;
}
