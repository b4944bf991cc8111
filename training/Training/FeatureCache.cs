using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace Vitrina.Training.Training;

/// <summary>
/// Backbone + colour features on disk, keyed by everything that shapes them (photos, input size, augmentation, seed,
/// feature layout), so retraining the heads after a change of head settings takes seconds instead of half an hour.
/// </summary>
public sealed class FeatureCache(string folder)
{
    public Tensor GetOrCompute(IEnumerable<string> keyParts, Func<Tensor> compute)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', keyParts))))[..24];
        var path = Path.Combine(folder, $"features-{key}.pt");
        if (File.Exists(path))
        {
            try
            {
                return Tensor.Load(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
            {
                File.Delete(path); // a half-written or foreign file: compute afresh
            }
        }

        var features = compute();
        Directory.CreateDirectory(folder);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        features.cpu().save(temporary);
        File.Move(temporary, path, overwrite: true);
        return features;
    }
}
