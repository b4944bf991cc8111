using TorchSharp;
using static TorchSharp.torch;

namespace Vitrina.Training.Images;

/// <summary>
/// Prepared photos as the models take them: one uint8 [N, H, W, 3] tensor, each photo's bytes copied once. Shared by
/// training, evaluation and the silo's classifier, which stacks into buffers it reuses.
/// </summary>
public static class PreparedBatch
{
    /// <summary>Stacks prepared photos into one uint8 [N, H, W, 3] tensor on <paramref name="device"/>, copying each photo once.</summary>
    public static Tensor ToTensor(IReadOnlyList<PreparedImage> images, Device device)
    {
        var batch = empty([images.Count, images[0].Height, images[0].Width, 3], ScalarType.Byte);
        try
        {
            CopyInto(images, batch);
            return device.type == DeviceType.CPU ? batch : batch.to(device);
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Copies prepared photos into the first rows of a contiguous uint8 CPU buffer [capacity, H, W, 3] (reused across
    /// batches by the silo's model host) and returns those rows as a view.
    /// </summary>
    public static Tensor StackInto(IReadOnlyList<PreparedImage> images, Tensor buffer)
    {
        CopyInto(images, buffer);
        return buffer.narrow(0, 0, images.Count);
    }

    private static void CopyInto(IReadOnlyList<PreparedImage> images, Tensor buffer)
    {
        var (height, width) = (images[0].Height, images[0].Width);
        if (buffer.shape is not [var capacity, var h, var w, 3] || h != height || w != width || capacity < images.Count)
        {
            throw new ArgumentException($"A buffer of shape [{string.Join(", ", buffer.shape)}] cannot hold {images.Count} photos of {width}x{height}.");
        }

        var storage = buffer.bytes;
        var photoBytes = height * width * 3;
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Width != width || images[i].Height != height)
            {
                throw new ArgumentException("All photos in a batch must be prepared to the same size.");
            }

            images[i].Pixels.CopyTo(storage.Slice(i * photoBytes, photoBytes));
        }
    }
}
