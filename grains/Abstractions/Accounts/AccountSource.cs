namespace Vitrina.Accounts;

/// <summary>Where an account's posts come from: <c>folder</c> (a local folder per account) or <c>instagram</c>.</summary>
[GenerateSerializer, Immutable, Alias("Vitrina.AccountSource")]
public sealed record AccountSource([property: Id(0)] string Kind, [property: Id(1)] string Location)
{
    public const string Folder = "folder";
    public const string Instagram = "instagram";
}
