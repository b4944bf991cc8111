namespace Vitrina.Training.Training;

/// <summary>
/// Hands out batches the way a Keras generator does: it walks the (shuffled) data and carries on where it stopped in
/// the next epoch, reshuffling after each full pass. Without a random source it walks in order (validation).
/// </summary>
public sealed class BatchCycle(int[] indices, TorchSharp.torch.Generator? random)
{
    private int[] order = [];
    private int position;

    public int[] Next(int size)
    {
        if (indices.Length == 0)
        {
            throw new InvalidOperationException("No photos to draw batches from.");
        }

        var batch = new int[Math.Min(size, indices.Length)];
        for (var i = 0; i < batch.Length; i++)
        {
            if (position >= order.Length)
            {
                order = random is null ? indices : Shuffle();
                position = 0;
            }

            batch[i] = order[position++];
        }

        return batch;
    }

    private int[] Shuffle()
    {
        var permutation = TorchSharp.torch.randperm(indices.Length, generator: random).data<long>().ToArray();
        return permutation.Select(p => indices[p]).ToArray();
    }
}
