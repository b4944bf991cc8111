using System.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;
using Vitrina.Training.Data;
using Vitrina.Training.Images;
using Vitrina.Training.Inference;
using Vitrina.Training.Store;

namespace Vitrina.Benchmarks;

/// <summary>
/// Image preparation (decode, orient, resize) on one core: ImageSharp end to end against our resize on bytes after
/// ImageSharp's decode or libjpeg-turbo's reduced-size decoding (SkiaSharp), the shipped choice between the two, and
/// libvips' shrink-on-load (NetVips), with the pixel difference of each from ImageSharp's output; and,
/// with --agreement, the shipped model's predictions on the Myntra val split with either decoder.
/// </summary>
public static class DecodeBench
{
    private const string Myntra = "/work/shared/data/myntra";
    private const string Amateur = "/work/shared/data/clothing-cc0";

    // One core per photo, as ImagePreparation decodes.
    private static readonly Configuration SingleCore = OneCore();

    private sealed record Candidate(string Name, Func<byte[], int, byte[]> Prepare);

    public static void Run(int images, double seconds, string? data)
    {
        var myntra = Path.Combine(data ?? Path.GetDirectoryName(Myntra)!, "myntra");
        var amateur = Path.Combine(data ?? Path.GetDirectoryName(Amateur)!, "clothing-cc0");
        var catalogue = Sample(Directory.GetFiles(Path.Combine(myntra, "images"), "*.jpg"), images * 2 / 3);
        var photos = Sample(Directory.GetFiles(Path.Combine(amateur, "images"), "*.jpg"), images - catalogue.Count);
        var sets = new (string Name, List<byte[]> Photos)[]
        {
            ($"Myntra catalogue ({catalogue.Count})", catalogue),
            ($"clothing-cc0 amateur ({photos.Count})", photos),
            // Instagram serves 1080 px photos; the data sets here are already small, so show what shrink-on-load does there.
            ($"cc0 upscaled to 1080x1440, q90, synthetic ({Math.Min(30, photos.Count)})", photos.Take(30).Select(Upscale).ToList()),
            // The same photos as progressive JPEGs, which many web encoders and CDNs write: every scan must be entropy-decoded
            // whatever the scale, so shrink-on-load saves less.
            ($"the same, progressive ({Math.Min(30, photos.Count)})", photos.Take(30).Select(Upscale).Select(Progressive).ToList()),
        };

        NetVips.Cache.Max = 0; // no cached thumbnails of the same bytes between passes
        NetVips.NetVips.Concurrency = 1; // per core, like the other two
        Candidate[] candidates =
        [
            new("ImageSharp decode + ImageSharp Triangle resize (the preparation until session 10)", ImageSharpOnly),
            new("ImageSharp decode + byte Triangle resize (VITRINA_DECODER=imagesharp)", (b, s) => ImagePreparation.Prepare(b, Stretch(s), DecoderChoice.ImageSharp).Pixels),
            new("Skia scaled decode + byte Triangle resize (VITRINA_DECODER=skia)", (b, s) => ImagePreparation.Prepare(b, Stretch(s), DecoderChoice.Skia).Pixels),
            new("shipped: Skia from twice the input size, else ImageSharp; byte resize (VITRINA_DECODER=auto)", (b, s) => ImagePreparation.Prepare(b, Stretch(s), DecoderChoice.Auto).Pixels),
            new("shipped + the shelf's thumbnail from the same decode (the image grain's preparation)",
                (b, s) => ImagePreparation.PrepareWithThumbnail(b, Stretch(s), Thumbnails.DefaultSide).Input.Pixels),
            new("Skia scaled decode + Skia resize (linear, mipmaps)", SkiaOnly),
            new("NetVips ThumbnailBuffer (shrink-on-load, autorotate)", Vips),
        ];

        Console.WriteLine();
        Console.WriteLine($"### Image preparation on one core: decode + orient + resize (stretch), {seconds:F0} s per measure");
        Console.WriteLine();
        Console.WriteLine("| photos | median MP | size | preparation | images/s (1 core) | x ImageSharp | mean abs diff vs ImageSharp (0-255) |");
        Console.WriteLine("|---|---:|---:|---|---:|---:|---:|");
        foreach (var (name, set) in sets)
        {
            var megapixels = set.Select(b => Image.Identify(b)).Select(i => i.Width * i.Height / 1e6).Order().ElementAt(set.Count / 2);
            foreach (var size in new[] { 160, 150 })
            {
                var reference = set.Select(b => candidates[0].Prepare(b, size)).ToList();
                var baseline = 0.0;
                foreach (var candidate in candidates)
                {
                    var rate = Rate(set, b => candidate.Prepare(b, size), seconds);
                    baseline = baseline == 0 ? rate : baseline;
                    var diff = set.Select((b, i) => MeanAbsDiff(candidate.Prepare(b, size), reference[i])).Average();
                    Console.WriteLine($"| {name} | {megapixels:F3} | {size} | {candidate.Name} | {rate:F0} | {rate / baseline:F2} | {diff:F2} |");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"Thumbnails ({Thumbnails.DefaultSide} px long side at most, from the 160 px model's decode), as the catalogue keeps them:");
        Console.WriteLine();
        Console.WriteLine("| photos | median long side (px) | mean size (bytes) | largest (bytes) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, set) in sets)
        {
            var thumbnails = set.Select(b => ImagePreparation.PrepareWithThumbnail(b, Stretch(160), Thumbnails.DefaultSide).Thumbnail).ToList();
            var side = thumbnails.Select(t => Image.Identify(t)).Select(i => Math.Max(i.Width, i.Height)).Order().ElementAt(set.Count / 2);
            Console.WriteLine($"| {name} | {side} | {thumbnails.Average(t => t.Length):F0} | {thumbnails.Max(t => t.Length)} |");
        }
    }

    /// <summary>The shipped model on the val split, photos prepared by either decoder: accuracy of each, and how often they agree.</summary>
    public static void Agreement(string? data)
    {
        using var classifier = ColourCategoryClassifier.LoadCurrent(new ModelStore(Path.Combine(Path.GetTempPath(), "vitrina-bench-models"), ModelStore.ShippedRoot));
        var manifest = classifier.Manifest;
        var rows = LabelledDataset.Load(data ?? Myntra, manifest.ColourClasses, manifest.CategoryClasses).Split("val").ToList();
        var old = Predict(classifier, rows, DecoderChoice.ImageSharp);
        var now = Predict(classifier, rows, DecoderChoice.Skia);

        Console.WriteLine();
        Console.WriteLine($"### Model {manifest.Version} on the Myntra val split ({rows.Count} photos), by decoder");
        Console.WriteLine();
        Console.WriteLine("| decoder | colour accuracy | category accuracy |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| ImageSharp | {Accuracy(rows, old, r => r.Colour, p => p.Colour):P2} | {Accuracy(rows, old, r => r.Category, p => p.Category):P2} |");
        Console.WriteLine($"| Skia | {Accuracy(rows, now, r => r.Colour, p => p.Colour):P2} | {Accuracy(rows, now, r => r.Category, p => p.Category):P2} |");
        Console.WriteLine();
        var colour = old.Zip(now).Count(p => p.First.Colour == p.Second.Colour) / (double)rows.Count;
        var category = old.Zip(now).Count(p => p.First.Category == p.Second.Category) / (double)rows.Count;
        var both = old.Zip(now).Count(p => p.First.Colour == p.Second.Colour && p.First.Category == p.Second.Category) / (double)rows.Count;
        Console.WriteLine($"Identical predictions: colour {colour:P2}, category {category:P2}, both {both:P2}.");
        // Paired view: of the photos whose correctness changed, how many Skia got wrong that ImageSharp got right.
        foreach (var (task, label, predicted) in new (string, Func<LabelledImage, string?>, Func<Prediction, string>)[]
                 { ("colour", r => r.Colour, p => p.Colour), ("category", r => r.Category, p => p.Category) })
        {
            var lost = rows.Select((r, i) => label(r) is { } l && predicted(old[i]) == l && predicted(now[i]) != l).Count(x => x);
            var gained = rows.Select((r, i) => label(r) is { } l && predicted(old[i]) != l && predicted(now[i]) == l).Count(x => x);
            var chi = lost + gained == 0 ? 0 : Math.Pow(Math.Abs(lost - gained) - 1, 2) / (lost + gained);
            Console.WriteLine($"{task}: right with ImageSharp only {lost}, right with Skia only {gained}, McNemar chi2 {chi:F1} (3.84 = p 0.05).");
        }
    }

    private static List<Prediction> Predict(ColourCategoryClassifier classifier, List<LabelledImage> rows, DecoderChoice decoder)
    {
        var predictions = new List<Prediction>(rows.Count);
        foreach (var batch in rows.Chunk(64))
        {
            var prepared = batch.Select(r => ImagePreparation.Prepare(File.ReadAllBytes(r.Path), classifier.Manifest.Preparation, decoder)).ToList();
            predictions.AddRange(classifier.Classify(prepared));
        }

        return predictions;
    }

    private static double Accuracy(List<LabelledImage> rows, List<Prediction> predictions, Func<LabelledImage, string?> label, Func<Prediction, string> predicted)
    {
        var labelled = rows.Select((r, i) => (Label: label(r), Predicted: predicted(predictions[i]))).Where(p => p.Label is not null).ToList();
        return labelled.Count(p => p.Label == p.Predicted) / (double)labelled.Count;
    }

    private static List<byte[]> Sample(string[] files, int count)
    {
        Array.Sort(files, StringComparer.Ordinal);
        var step = Math.Max(1, files.Length / Math.Max(1, count));
        return files.Where((_, i) => i % step == 0).Take(count).Select(File.ReadAllBytes).ToList();
    }

    private static byte[] Upscale(byte[] jpeg)
    {
        using var image = Image.Load<Rgb24>(jpeg);
        image.Mutate(x => x.Resize(image.Width > image.Height ? new Size(1440, 1080) : new Size(1080, 1440)));
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream, new JpegEncoder { Quality = 90 });
        return stream.ToArray();
    }

    /// <summary>The same JPEG written progressively by libvips (ImageSharp 2.1 writes baseline only).</summary>
    public static byte[] Progressive(byte[] jpeg)
    {
        using var image = NetVips.Image.NewFromBuffer(jpeg);
        return image.JpegsaveBuffer(q: 90, interlace: true);
    }

    private static PreparationSettings Stretch(int size) => new(size, Training.Images.ResizeMode.Stretch);

    private static double Rate(List<byte[]> set, Action<byte[]> prepare, double seconds)
    {
        // Warm-up for a second: native library load, and tiered JIT promoting the hot loops before the clock starts.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < 1)
        {
            set.ForEach(prepare);
        }

        clock.Restart();
        var done = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            set.ForEach(prepare);
            done += set.Count;
        }

        return done / clock.Elapsed.TotalSeconds;
    }

    private static double MeanAbsDiff(byte[] a, byte[] b)
    {
        long sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum / (double)a.Length;
    }

    private static Configuration OneCore()
    {
        var configuration = Configuration.Default.Clone();
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }

    /// <summary>ImageSharp end to end, as preparation was before it resized on bytes: the reference the others are compared with.</summary>
    private static byte[] ImageSharpOnly(byte[] encoded, int size)
    {
        using var image = Image.Load<Rgb24>(SingleCore, encoded);
        image.Mutate(x => x.AutoOrient().Resize(new ResizeOptions { Size = new Size(size, size), Mode = SixLabors.ImageSharp.Processing.ResizeMode.Stretch, Sampler = KnownResamplers.Triangle }));
        var rgb = new byte[size * size * 3];
        image.CopyPixelDataTo(rgb);
        return rgb;
    }

    /// <summary>Skia end to end: scaled decode, orientation by canvas transform, linear resize with mipmaps.</summary>
    private static byte[] SkiaOnly(byte[] jpeg, int size)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(jpeg)) ?? throw new InvalidOperationException("Skia cannot read this photo");
        var scale = Math.Min(1f, Math.Max((float)size / codec.Info.Width, (float)size / codec.Info.Height));
        var scaled = codec.GetScaledDimensions(scale);
        using var decoded = new SKBitmap(new SKImageInfo(scaled.Width, scaled.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        if (codec.GetPixels(decoded.Info, decoded.GetPixels()) != SKCodecResult.Success)
        {
            throw new InvalidOperationException("Skia could not decode this photo");
        }

        using var oriented = Orient(decoded, codec.EncodedOrigin);
        using var resized = oriented.Resize(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        var rgba = resized.GetPixelSpan();
        var rgb = new byte[size * size * 3];
        for (int i = 0, o = 0; o < rgb.Length; i += 4, o += 3)
        {
            rgb[o] = rgba[i];
            rgb[o + 1] = rgba[i + 1];
            rgb[o + 2] = rgba[i + 2];
        }

        return rgb;
    }

    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        float w = source.Width, h = source.Height;
        // Maps source pixels to their place in the upright photo (EXIF orientations 2-8).
        SKMatrix? matrix = origin switch
        {
            SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, w, 0, 1, 0, 0, 0, 1),
            SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, w, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, h, 0, 0, 1),
            SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightTop => new SKMatrix(0, -1, h, 1, 0, 0, 0, 0, 1),
            SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, h, -1, 0, w, 0, 0, 1),
            SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, w, 0, 0, 1),
            _ => null,
        };
        if (matrix is not { } m)
        {
            return source.Copy();
        }

        var swap = origin >= SKEncodedOrigin.LeftTop;
        var upright = new SKBitmap(new SKImageInfo(swap ? source.Height : source.Width, swap ? source.Width : source.Height, source.ColorType, source.AlphaType));
        using var canvas = new SKCanvas(upright);
        canvas.SetMatrix(m);
        canvas.DrawBitmap(source, 0, 0);
        return upright;
    }

    /// <summary>libvips: thumbnail straight from the JPEG bytes, forced to the square as the stretch does.</summary>
    private static byte[] Vips(byte[] jpeg, int size)
    {
        using var thumb = NetVips.Image.ThumbnailBuffer(jpeg, size, height: size, size: NetVips.Enums.Size.Force);
        using var srgb = thumb.Bands < 3 ? thumb.Colourspace(NetVips.Enums.Interpretation.Srgb) : thumb.Copy();
        using var rgb = srgb.Bands > 3 ? srgb.ExtractBand(0, 3) : srgb.Copy();
        return rgb.WriteToMemory<byte>();
    }
}
