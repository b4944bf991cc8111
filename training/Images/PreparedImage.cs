namespace Vitrina.Training.Images;

/// <summary>
/// A photo ready for a model: RGB pixels, row-major, height x width x 3 bytes. Pixels stay bytes until they reach the
/// model's device, where the model normalises them (a quarter of the transfer of float32).
/// </summary>
public sealed record PreparedImage(int Width, int Height, byte[] Pixels)
{
    public static PreparedImage Create(int width, int height, byte[] pixels)
    {
        if (pixels.Length != width * height * 3)
        {
            throw new ArgumentException($"Expected {width * height * 3} bytes for {width}x{height} RGB, got {pixels.Length}.");
        }

        return new PreparedImage(width, height, pixels);
    }
}
