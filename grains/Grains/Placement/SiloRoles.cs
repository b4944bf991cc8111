namespace Vitrina.Grains.Placement;

/// <summary>
/// What a silo runs (configuration <c>Vitrina:Silo:Roles</c>, comma-separated; default all): <c>ingest</c> (accounts
/// and images: polling, downloading, decoding), <c>classify</c> (the model, on a GPU when the silo has one) and
/// <c>catalogue</c> (writes to PostgreSQL). Each grain type is placed only on silos that run its role.
/// </summary>
public static class SiloRoles
{
    public const string Ingest = "ingest";
    public const string Classify = "classify";
    public const string Catalogue = "catalogue";

    public static readonly IReadOnlyList<string> All = [Ingest, Classify, Catalogue];

    /// <summary>Parses a role list such as <c>ingest,catalogue</c> or <c>all</c>; unknown names are a configuration error.</summary>
    public static IReadOnlyList<string> Parse(string? roles)
    {
        if (string.IsNullOrWhiteSpace(roles) || roles.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            return All;
        }

        var parsed = roles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant())
            .Distinct()
            .ToList();
        var unknown = parsed.Where(r => !All.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"unknown silo role(s) '{string.Join(", ", unknown)}' in Vitrina:Silo:Roles; use any of {string.Join(", ", All)}, or all");
        }

        return parsed;
    }
}
