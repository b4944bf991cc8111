using System.Buffers.Binary;

namespace Vitrina.Training.Images;

/// <summary>
/// What a JPEG's frame header (its SOF segment) says about the memory decoding it takes. A progressive JPEG is sent as
/// several passes over the whole image, so its decoder keeps every DCT coefficient of the photo until the last pass,
/// 128 bytes per 8x8 block of every colour component, whatever the scale it decodes to: 119 MB for a 40 MP photo with
/// the usual 4:2:0 chroma, where a baseline JPEG decoded at 1/8 scale needs 10 MB in all (measured, "Session 21" in
/// docs/benchmarks.md).
/// </summary>
internal sealed record JpegFrame(bool Progressive, long CoefficientBytes)
{
    /// <summary>The frame that the segments before the first scan declare, or null when none can be read.</summary>
    public static JpegFrame? Read(ReadOnlySpan<byte> jpeg)
    {
        // After the start-of-image marker, segments: FF, a marker byte, a big-endian length that counts itself, data.
        var at = 2;
        while (at + 4 <= jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
            {
                return null;
            }

            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            if (marker is 0xDA or 0xD9)
            {
                return null; // a scan or the end before any frame header
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            if (length < 2 || at + 2 + length > jpeg.Length)
            {
                return null;
            }

            if (IsFrameHeader(marker))
            {
                return FromHeader(jpeg.Slice(at + 4, length - 2), progressive: marker is 0xC2 or 0xC6 or 0xCA or 0xCE);
            }

            at += 2 + length;
        }

        return null;
    }

    // SOF0-SOF15, less DHT (C4), JPG (C8) and DAC (CC), which share the range.
    private static bool IsFrameHeader(byte marker) => marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;

    private static JpegFrame? FromHeader(ReadOnlySpan<byte> header, bool progressive)
    {
        // Precision (1), height (2), width (2), component count (1), then per component: id, sampling (H << 4 | V), table.
        if (header.Length < 6)
        {
            return null;
        }

        var height = BinaryPrimitives.ReadUInt16BigEndian(header[1..]);
        var width = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
        var components = header[5];
        if (header.Length < 6 + 3 * components || components == 0)
        {
            return null;
        }

        int maxH = 1, maxV = 1;
        for (var c = 0; c < components; c++)
        {
            var sampling = header[6 + 3 * c + 1];
            maxH = Math.Max(maxH, sampling >> 4);
            maxV = Math.Max(maxV, sampling & 0x0F);
        }

        long blocks = 0;
        for (var c = 0; c < components; c++)
        {
            var sampling = header[6 + 3 * c + 1];
            var samplesWide = DivideUp(width * Math.Max(1, sampling >> 4), maxH);
            var samplesHigh = DivideUp(height * Math.Max(1, sampling & 0x0F), maxV);
            blocks += (long)DivideUp(samplesWide, 8) * DivideUp(samplesHigh, 8);
        }

        return new JpegFrame(progressive, blocks * 64 * sizeof(short));
    }

    private static int DivideUp(int value, int by) => (value + by - 1) / by;
}
