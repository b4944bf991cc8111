namespace Vitrina.Grains.Images;

/// <summary>Settings of the image grains' work (section <c>Vitrina:Images</c>).</summary>
public sealed class ImageOptions
{
    /// <summary>
    /// Megabytes that the photos a silo has fetched and not yet classified may hold at once; 0 sizes it from the memory
    /// available to the process (<see cref="FetchMemory.Automatic"/>).
    /// </summary>
    public int FetchMemoryMegabytes { get; set; }
}
