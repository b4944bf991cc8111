using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vitrina.Training.Images;

/// <summary>
/// Resizes an RGB photo with the triangle filter (bilinear, widened when shrinking so every source pixel counts), the
/// filter every model here was trained with. It computes what ImageSharp's <c>Resize</c> with
/// <c>KnownResamplers.Triangle</c> computes (the same kernels, to within one level of 255), but on the photo's three
/// bytes per pixel: ImageSharp's general resizer widens every pixel to four floats and back and was half of a photo's
/// preparation. Rows are filtered vertically first, straight from the decoded bytes, so a 1080 px photo never exists
/// as floats: one row of floats is all the working memory.
/// </summary>
internal static class TriangleResize
{
    /// <summary>
    /// Writes <paramref name="source"/>, resized to <paramref name="target"/>'s size, into that rectangle of
    /// <paramref name="canvas"/>, an RGB image <paramref name="canvasWidth"/> pixels wide; the rest of it is left as is.
    /// </summary>
    public static void Into(Image<Rgb24> source, byte[] canvas, int canvasWidth, Rectangle target)
    {
        var columns = TriangleKernels.For(source.Width, target.Width);
        var rows = TriangleKernels.For(source.Height, target.Height);
        // A spare float at the end of both rows: a pixel is read and written as four floats, its RGB and one more.
        var line = new float[source.Width * 3 + 1];
        var resized = new float[target.Width * 3 + 1];
        source.ProcessPixelRows(pixels =>
        {
            for (var y = 0; y < target.Height; y++)
            {
                Array.Clear(line);
                for (var tap = 0; tap < rows.Taps; tap++)
                {
                    // Kernels are padded with zero weights to a common length: those rows are skipped, not read.
                    var weight = rows.Weights[y * rows.Taps + tap];
                    if (weight != 0)
                    {
                        AddScaled(MemoryMarshal.AsBytes(pixels.GetRowSpan(rows.Start[y] + tap)), weight, line);
                    }
                }

                FilterColumns(line, columns, resized);
                ToBytes(resized.AsSpan(0, target.Width * 3), canvas.AsSpan(((target.Y + y) * canvasWidth + target.X) * 3, target.Width * 3));
            }
        });
    }

    /// <summary>line += weight * row, the bytes widened to floats a vector at a time.</summary>
    private static void AddScaled(ReadOnlySpan<byte> row, float weight, Span<float> line)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var weights = new Vector<float>(weight);
            var floats = (nuint)Vector<float>.Count;
            ref var bytes = ref MemoryMarshal.GetReference(row);
            ref var sums = ref MemoryMarshal.GetReference(line);
            for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                var (a, b, c, d) = Widen(Vector.LoadUnsafe(ref bytes, (nuint)i));
                ref var at = ref Unsafe.Add(ref sums, i);
                (Vector.LoadUnsafe(ref at) + a * weights).StoreUnsafe(ref at);
                (Vector.LoadUnsafe(ref at, floats) + b * weights).StoreUnsafe(ref at, floats);
                (Vector.LoadUnsafe(ref at, 2 * floats) + c * weights).StoreUnsafe(ref at, 2 * floats);
                (Vector.LoadUnsafe(ref at, 3 * floats) + d * weights).StoreUnsafe(ref at, 3 * floats);
            }
        }

        for (; i < row.Length; i++)
        {
            line[i] += row[i] * weight;
        }
    }

    private static (Vector<float>, Vector<float>, Vector<float>, Vector<float>) Widen(Vector<byte> bytes)
    {
        Vector.Widen(bytes, out var low, out var high);
        Vector.Widen(low, out var a, out var b);
        Vector.Widen(high, out var c, out var d);
        // As signed integers: the hardware converts int32 to float, not uint32 (these are below 256 anyway).
        return (Vector.ConvertToSingle(Vector.AsVectorInt32(a)), Vector.ConvertToSingle(Vector.AsVectorInt32(b)),
            Vector.ConvertToSingle(Vector.AsVectorInt32(c)), Vector.ConvertToSingle(Vector.AsVectorInt32(d)));
    }

    /// <summary>One row of output pixels (floats, RGB) from one vertically filtered row.</summary>
    private static void FilterColumns(float[] line, TriangleKernels columns, float[] output)
    {
        var taps = columns.Taps;
        ref var lineStart = ref MemoryMarshal.GetArrayDataReference(line);
        ref var weight = ref MemoryMarshal.GetArrayDataReference(columns.Weights);
        ref var pixel = ref MemoryMarshal.GetArrayDataReference(output);
        var x = 0;
        for (; x + 1 < columns.Start.Length; x += 2)
        {
            // A pixel's red, green and blue and the next pixel's red in one vector: one multiply-add per tap. Its
            // fourth float lands on the next output pixel's red, which is written after it. Two pixels at a time, so
            // the processor has two independent chains of additions to overlap.
            ref var first = ref Unsafe.Add(ref lineStart, columns.Start[x] * 3);
            ref var second = ref Unsafe.Add(ref lineStart, columns.Start[x + 1] * 3);
            var sum = Vector128<float>.Zero;
            var next = Vector128<float>.Zero;
            for (var tap = 0; tap < taps; tap++)
            {
                sum += Vector128.LoadUnsafe(ref first, (nuint)(3 * tap)) * Vector128.Create(Unsafe.Add(ref weight, tap));
                next += Vector128.LoadUnsafe(ref second, (nuint)(3 * tap)) * Vector128.Create(Unsafe.Add(ref weight, taps + tap));
            }

            weight = ref Unsafe.Add(ref weight, 2 * taps);
            sum.StoreUnsafe(ref pixel, (nuint)(3 * x));
            next.StoreUnsafe(ref pixel, (nuint)(3 * x + 3));
        }

        if (x < columns.Start.Length)
        {
            ref var last = ref Unsafe.Add(ref lineStart, columns.Start[x] * 3);
            var sum = Vector128<float>.Zero;
            for (var tap = 0; tap < taps; tap++)
            {
                sum += Vector128.LoadUnsafe(ref last, (nuint)(3 * tap)) * Vector128.Create(Unsafe.Add(ref weight, tap));
            }

            sum.StoreUnsafe(ref pixel, (nuint)(3 * x));
        }
    }

    /// <summary>Rounds the floats to the nearest byte, a vector at a time (triangle weights are positive: no sums below 0).</summary>
    private static void ToBytes(ReadOnlySpan<float> values, Span<byte> output)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var half = new Vector<float>(0.5f);
            var top = new Vector<float>(255f);
            var floats = (nuint)Vector<float>.Count;
            ref var from = ref MemoryMarshal.GetReference(values);
            ref var to = ref MemoryMarshal.GetReference(output);
            for (; i <= values.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                ref var at = ref Unsafe.Add(ref from, i);
                var a = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Min(Vector.LoadUnsafe(ref at) + half, top)));
                var b = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Min(Vector.LoadUnsafe(ref at, floats) + half, top)));
                var c = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Min(Vector.LoadUnsafe(ref at, 2 * floats) + half, top)));
                var d = Vector.AsVectorUInt32(Vector.ConvertToInt32(Vector.Min(Vector.LoadUnsafe(ref at, 3 * floats) + half, top)));
                Vector.Narrow(Vector.Narrow(a, b), Vector.Narrow(c, d)).StoreUnsafe(ref to, (nuint)i);
            }
        }

        for (; i < values.Length; i++)
        {
            output[i] = (byte)Math.Min(values[i] + 0.5f, 255f);
        }
    }
}
