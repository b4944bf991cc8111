namespace Vitrina.Training.Images;

/// <summary>
/// Why a file no decoder recognises was refused, in words its owner can act on. The common cases are ISO media files,
/// recognisable by their "ftyp" box: HEIC, the iPhone camera's default, and AVIF, neither of which Vitrina decodes,
/// and videos put where photos were expected.
/// </summary>
internal static class UnknownFormat
{
    private const string Known = "JPEG, PNG, GIF, BMP, TGA, TIFF, WebP, PBM";

    public static string Reason(ReadOnlySpan<byte> encoded)
    {
        // An ISO media file starts with a box: its size (4 bytes), "ftyp", then the major brand (4 bytes).
        if (encoded.Length < 12 || !encoded[4..].StartsWith("ftyp"u8))
        {
            return $"not an image in a known format ({Known})";
        }

        return System.Text.Encoding.ASCII.GetString(encoded.Slice(8, 4)) switch
        {
            "heic" or "heix" or "hevc" or "hevx" or "heim" or "heis" or "mif1" or "msf1" =>
                $"a HEIC/HEIF photo (the iPhone camera's default format), which is not decoded here: save it as JPEG (known formats: {Known})",
            "avif" or "avis" => $"an AVIF image, which is not decoded here: save it as JPEG or WebP (known formats: {Known})",
            _ => $"a video or other ISO media file, not a photo (known formats: {Known})",
        };
    }
}
