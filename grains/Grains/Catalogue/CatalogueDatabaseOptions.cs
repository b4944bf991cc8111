namespace Vitrina.Grains.Catalogue;

/// <summary>
/// Where the catalogue lives (section <c>Vitrina:Catalogue</c>): PostgreSQL when <see cref="ConnectionString"/> is
/// set (tables in <see cref="Schema"/>), otherwise a SQLite file so that a fresh machine needs nothing installed.
/// </summary>
public sealed class CatalogueDatabaseOptions
{
    public string? ConnectionString { get; set; }
    public string Schema { get; set; } = "catalogue";
    /// <summary>Catalogue writer grains across the cluster (each is reentrant; more spread the writes over silos).</summary>
    public int Writers { get; set; } = 4;

    public string SqlitePath { get; set; } = Path.Combine("var", "catalogue.db");
}
