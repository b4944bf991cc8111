namespace Vitrina.Grains.Images;

/// <summary>Settings of the image grains' work (section <c>Vitrina:Images</c>).</summary>
public sealed class ImageOptions
{
    public const string Section = "Vitrina:Images";

    /// <summary>
    /// Megabytes that the photos a silo has fetched and not yet classified may hold at once; 0 sizes it from the memory
    /// available to the process (<see cref="MemoryBudget"/>).
    /// </summary>
    public int FetchMemoryMegabytes { get; set; }

    /// <summary>
    /// Megabytes that the photos a silo is decoding may take at once; 0 sizes it from the memory available to the process
    /// (<see cref="MemoryBudget"/>). A photo that needs more than this is decoded alone.
    /// </summary>
    public int DecodeMemoryMegabytes { get; set; }

    /// <summary>
    /// Lets photos be downloaded from loopback, private and link-local addresses, which are refused by default
    /// (<see cref="PublicAddressGuard"/>): for a CDN mirror inside the network, or a fake CDN in tests.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }
}
