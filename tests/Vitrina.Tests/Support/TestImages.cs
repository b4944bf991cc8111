using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Vitrina.Tests.Support;

/// <summary>Small synthetic photos: a coloured garment-like shape on a light background.</summary>
public static class TestImages
{
    public static readonly Dictionary<string, Rgb24> Colours = new()
    {
        ["Blue"] = new Rgb24(30, 60, 200),
        ["Black"] = new Rgb24(20, 20, 20),
        ["Pink"] = new Rgb24(240, 130, 170),
        ["Brown"] = new Rgb24(120, 70, 30),
    };

    /// <summary>Shape 0: a filled square (a "bag"); shape 1: a tall triangle (a "dress"); shape 2: a wide bar (a belt, in no category).</summary>
    public static Image<Rgb24> Garment(Rgb24 colour, int shape, int size = 96, int seed = 0, Rgb24? background = null)
    {
        var random = new Random(seed);
        var image = new Image<Rgb24>(size, size, background ?? new Rgb24(245, 245, 245));
        var offset = random.Next(-size / 10, size / 10);
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var cx = x - size / 2 - offset;
                var cy = y - size / 2;
                var inside = shape switch
                {
                    0 => Math.Abs(cx) < size / 4 && Math.Abs(cy) < size / 4,
                    1 => cy > -size * 0.4 && cy < size * 0.4 && Math.Abs(cx) < (cy + size * 0.4) * 0.45,
                    _ => Math.Abs(cx) < size * 0.4 && Math.Abs(cy) < size / 12,
                };
                if (inside)
                {
                    var noise = random.Next(-12, 12);
                    image[x, y] = new Rgb24(Clamp(colour.R + noise), Clamp(colour.G + noise), Clamp(colour.B + noise));
                }
            }
        }

        return image;
    }

    public static byte[] Jpeg(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);
        return stream.ToArray();
    }

    public static byte[] Png(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsPng(stream);
        return stream.ToArray();
    }

    public static byte[] Gif(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsGif(stream);
        return stream.ToArray();
    }

    public static byte[] Tiff(Image image)
    {
        using var stream = new MemoryStream();
        image.SaveAsTiff(stream);
        return stream.ToArray();
    }

    /// <summary>
    /// An animated WebP of <paramref name="frames"/> (same size), built by hand: ImageSharp 2.1 writes still WebPs
    /// only. Each frame is a still lossless WebP's image chunk in an ANMF chunk, after the extended header (VP8X,
    /// animation and alpha flags) and the animation's parameters (ANIM).
    /// </summary>
    public static byte[] AnimatedWebp(params Image[] frames)
    {
        var (width, height) = (frames[0].Width, frames[0].Height);
        using var body = new MemoryStream();
        Chunk(body, "VP8X", [0x12, 0, 0, 0, .. UInt24(width - 1), .. UInt24(height - 1)]);
        Chunk(body, "ANIM", [255, 255, 255, 255, 0, 0]); // white background, loop for ever
        foreach (var frame in frames)
        {
            using var still = new MemoryStream();
            frame.SaveAsWebp(still, new SixLabors.ImageSharp.Formats.Webp.WebpEncoder { FileFormat = SixLabors.ImageSharp.Formats.Webp.WebpFileFormatType.Lossless });
            var imageChunk = still.ToArray()[12..]; // after "RIFF", its size and "WEBP": the VP8L chunk
            if (!imageChunk.AsSpan().StartsWith("VP8L"u8))
            {
                throw new InvalidOperationException("ImageSharp wrote an extended WebP; frames must be without metadata");
            }

            // offset 0, 0; size; 100 ms; no blending, no disposal
            Chunk(body, "ANMF", [0, 0, 0, 0, 0, 0, .. UInt24(width - 1), .. UInt24(height - 1), 100, 0, 0, 0, .. imageChunk]);
        }

        byte[] webp = [.. "RIFF"u8, 0, 0, 0, 0, .. "WEBP"u8, .. body.ToArray()];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(webp.AsSpan(4), webp.Length - 8);
        return webp;

        static byte[] UInt24(int value) => [(byte)value, (byte)(value >> 8), (byte)(value >> 16)];

        static void Chunk(Stream to, string type, byte[] data)
        {
            to.Write(System.Text.Encoding.ASCII.GetBytes(type));
            Span<byte> length = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, data.Length);
            to.Write(length);
            to.Write(data);
            if (data.Length % 2 == 1)
            {
                to.WriteByte(0);
            }
        }
    }

    /// <summary>
    /// An uncompressed TIFF of one page per colour, each <paramref name="side"/> pixels square, written by hand: ImageSharp
    /// 2.1 writes single-page TIFFs only. Each page is its pixels, its bits per sample (8, 8, 8) and its directory, whose
    /// last field points at the next page's.
    /// </summary>
    public static byte[] MultiPageTiff(int side, params Rgb24[] pages)
    {
        using var file = new MemoryStream();
        using var writer = new BinaryWriter(file); // little-endian, as the "II" header says
        writer.Write("II*\0"u8);
        writer.Write(8); // the first page's directory, patched below once written
        var pointer = 4L; // where the offset of the next directory goes
        foreach (var colour in pages)
        {
            var pixels = file.Position;
            for (var i = 0; i < side * side; i++)
            {
                writer.Write([colour.R, colour.G, colour.B]);
            }

            var bitsPerSample = file.Position;
            writer.Write([8, 0, 8, 0, 8, 0]);
            var directory = file.Position;
            Patch(pointer, (int)directory);
            (ushort Tag, ushort Type, int Count, int Value)[] fields =
            [
                (256, 4, 1, side), (257, 4, 1, side), (258, 3, 3, (int)bitsPerSample), (259, 3, 1, 1), (262, 3, 1, 2),
                (273, 4, 1, (int)pixels), (277, 3, 1, 3), (278, 4, 1, side), (279, 4, 1, side * side * 3), (284, 3, 1, 1),
            ];
            writer.Write((ushort)fields.Length);
            foreach (var (tag, type, count, value) in fields)
            {
                writer.Write(tag);
                writer.Write(type);
                writer.Write(count);
                writer.Write(value); // a single short sits in the low bytes, as little-endian wants
            }

            pointer = file.Position;
            writer.Write(0); // no next page, unless the next one patches it
        }

        writer.Flush();
        return file.ToArray();

        void Patch(long at, int value)
        {
            var end = file.Position;
            file.Position = at;
            writer.Write(value);
            file.Position = end;
        }
    }

    /// <summary>A JPEG whose EXIF says "rotate 90 degrees clockwise to view" (orientation 6).</summary>
    public static byte[] JpegWithOrientation(Image image, ushort orientation)
    {
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        return Jpeg(image);
    }

    /// <summary>A PNG whose eXIf chunk gives <paramref name="orientation"/>.</summary>
    public static byte[] PngWithOrientation(Image image, ushort orientation)
    {
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        return Png(image);
    }

    /// <summary>
    /// A PNG of <paramref name="image"/> with a zTXt chunk after its header whose text inflates to
    /// <paramref name="inflatedBytes"/> zeros: a few hundred kilobytes that decoders expanding metadata blow up.
    /// </summary>
    public static byte[] PngWithCompressedText(Image image, int inflatedBytes)
    {
        var png = Png(image);
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var left = inflatedBytes; left > 0; left -= zeros.Length)
            {
                zlib.Write(zeros, 0, Math.Min(left, zeros.Length));
            }
        }

        // keyword, its NUL, compression method 0 (deflate), then the compressed text
        byte[] data = [.. "Comment"u8, 0, 0, .. compressed.ToArray()];
        byte[] typeAndData = [.. "zTXt"u8, .. data];
        var chunk = new byte[12 + data.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        typeAndData.CopyTo(chunk, 4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32(typeAndData));
        const int afterHeader = 8 + 25; // the signature, then IHDR (13 bytes of data)
        return [.. png.AsSpan(0, afterHeader), .. chunk, .. png.AsSpan(afterHeader)];
    }

    /// <summary>A valid PNG header claiming width x height, with a tiny body: what a decompression bomb looks like.</summary>
    public static byte[] PngHeaderOnly(int width, int height)
    {
        using var small = new Image<Rgb24>(1, 1);
        var png = Png(small);
        // IHDR width and height sit at bytes 16-23 (big-endian); rewrite them and fix the chunk CRC.
        var bytes = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        var crc = Crc32(bytes.AsSpan(12, 17));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), crc);
        return bytes;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static byte Clamp(int v) => (byte)Math.Clamp(v, 0, 255);
}
