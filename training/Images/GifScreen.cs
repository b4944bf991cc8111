using System.Buffers.Binary;

namespace Vitrina.Training.Images;

/// <summary>
/// A GIF's size, from its logical screen descriptor: the 7 bytes after the 6-byte signature, width and height first.
/// ImageSharp's <c>Identify</c> reads the whole file to give the same two numbers: 7.8 ms of the 54 ms a 1,080 px GIF
/// took to prepare, 122 ms for a 4 MB one.
/// </summary>
internal static class GifScreen
{
    /// <summary>The screen's width and height, or null when the file is not a GIF or declares an empty screen.</summary>
    public static (int Width, int Height)? Size(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length < 13 || !(encoded.StartsWith("GIF87a"u8) || encoded.StartsWith("GIF89a"u8)))
        {
            return null;
        }

        var (width, height) = (BinaryPrimitives.ReadUInt16LittleEndian(encoded[6..]), BinaryPrimitives.ReadUInt16LittleEndian(encoded[8..]));
        return width > 0 && height > 0 ? (width, height) : null;
    }
}
