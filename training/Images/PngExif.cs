using System.Buffers.Binary;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;

namespace Vitrina.Training.Images;

/// <summary>
/// The EXIF orientation of a PNG, read from its eXIf chunk. ImageSharp is told to skip PNG metadata, because it
/// inflates compressed text and colour-profile chunks whole: a 400 kB PNG whose zTXt chunk held 400 MB of zeros took
/// 24 s and 5.9 GB to prepare. Orientation is the one piece of metadata the preparation uses, and eXIf is stored uncompressed.
/// </summary>
internal static class PngExif
{
    private const int Signature = 8;

    /// <summary>The orientation (1-8) an eXIf chunk gives, or null when there is none or it cannot be read.</summary>
    public static ushort? Orientation(ReadOnlySpan<byte> png)
    {
        // Each chunk: its data's length (4 bytes, big-endian), its type (4), the data, a CRC (4).
        var at = Signature;
        while (at <= png.Length - 12)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            if (length > (uint)(png.Length - at - 12))
            {
                return null; // a length past the end: the decoder will say what is wrong with the file
            }

            var type = png.Slice(at + 4, 4);
            if (type.SequenceEqual("eXIf"u8))
            {
                return Read(png.Slice(at + 8, (int)length));
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return null;
            }

            at += 12 + (int)length;
        }

        return null;
    }

    private static ushort? Read(ReadOnlySpan<byte> exif)
    {
        // Some writers keep the "Exif\0\0" prefix of a JPEG's APP1 segment.
        if (exif.StartsWith("Exif\0\0"u8))
        {
            exif = exif[6..];
        }

        try
        {
            var orientation = new ExifProfile(exif.ToArray()).GetValue(ExifTag.Orientation)?.Value;
            return orientation is >= 1 and <= 8 ? orientation : null;
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            return null; // unreadable EXIF: the photo is used as stored
        }
    }
}
