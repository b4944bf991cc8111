using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vitrina.Training.Training;

/// <summary>
/// Names a set of moderator labels: which photos, labelled when. A retrain over the same set as the serving version's
/// is skipped; a label added, changed or committed late changes the name. A watermark of the newest label's time missed
/// labels committed after a newer one was read, and those stamped by a silo whose clock was behind.
/// </summary>
public static class LabelSetFingerprint
{
    public static double Of(IEnumerable<(string ImageId, DateTimeOffset LabelledAt)> labels)
    {
        var text = string.Join('\n', labels.Select(l => $"{l.ImageId}@{l.LabelledAt.UtcTicks}").Order(StringComparer.Ordinal));
        // 52 bits: exact in a double, as a model's metrics are stored.
        return BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text))) >> 12;
    }
}
