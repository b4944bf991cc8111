namespace Vitrina.Grains.Sources.Instagram;

/// <summary>One Graph API call, as error messages name it: what it was for and its URL without the token.</summary>
internal sealed record GraphCall(string Subject, Uri Url, string ShownUrl)
{
    public override string ToString() => $"GET {ShownUrl}";
}
