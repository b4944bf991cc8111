namespace Vitrina.Grains.Sources.Instagram;

/// <summary>One page of an account's media, newest first, and the cursor that reads on from it (null after the last).</summary>
internal sealed record GraphMediaPage(IReadOnlyList<GraphMedia> Items, string? After);
