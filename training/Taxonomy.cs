namespace Vitrina.Training;

/// <summary>
/// The colour and category classes the catalogue sorts by. A trained model carries its own lists (its manifest);
/// these are the defaults, the paper's 7 colours and 6 categories as named in the Myntra developer set.
/// </summary>
public sealed record Taxonomy(IReadOnlyList<string> Colours, IReadOnlyList<string> Categories)
{
    public static Taxonomy Paper { get; } = new(
        ["Beige", "White", "Blue", "Brown", "Pink", "Gray", "Black"],
        ["Outerwear", "Suits/outfits", "Dresses", "Sweatshirts/Sweaters/Jumpers", "Bags", "Decorations/jewellery"]);
}
