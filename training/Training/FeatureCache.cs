using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Vitrina.Training.Training;

/// <summary>
/// Backbone + colour features on disk, keyed by everything that shapes them (photos, input size, augmentation, seed,
/// feature layout), so retraining the heads after a change of head settings takes seconds instead of half an hour.
/// Files are a plain [rows, columns] float32 matrix: two int64 dimensions, then the values.
/// </summary>
public sealed class FeatureCache(string folder)
{
    public Tensor GetOrCompute(IEnumerable<string> keyParts, Func<Tensor> compute)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', keyParts))))[..24];
        var path = Path.Combine(folder, $"features-{key}.bin");
        if (File.Exists(path))
        {
            try
            {
                return Read(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException)
            {
                File.Delete(path); // a half-written or foreign file: compute afresh
            }
        }

        var features = compute();
        Directory.CreateDirectory(folder);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        Write(features, temporary);
        File.Move(temporary, path, overwrite: true);
        return features;
    }

    private static void Write(Tensor features, string path)
    {
        using var cpu = features.cpu().contiguous();
        var values = cpu.data<float>().ToArray();
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(cpu.shape[0]);
        writer.Write(cpu.shape.Length > 1 ? cpu.shape[1] : 0L);
        writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private static Tensor Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        var rows = reader.ReadInt64();
        var columns = reader.ReadInt64();
        // A damaged header must not size an allocation: the file's own length says what it can hold.
        if (rows < 0 || columns < 0 || (columns > 0 && rows > (reader.BaseStream.Length - 16) / sizeof(float) / columns))
        {
            throw new InvalidDataException($"{path} has a {rows}x{columns} header its {reader.BaseStream.Length} bytes cannot hold.");
        }

        var values = new float[rows * columns];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        if (reader.Read(bytes) != bytes.Length)
        {
            throw new InvalidDataException($"{path} is shorter than its {rows}x{columns} header says.");
        }

        return tensor(values, [rows, columns]);
    }
}
