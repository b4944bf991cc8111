using Vitrina.Training.Images;

namespace Vitrina.Grains.Catalogue;

/// <summary>
/// Where the catalogue lives (section <c>Vitrina:Catalogue</c>): PostgreSQL when <see cref="ConnectionString"/> is
/// set (tables in <see cref="Schema"/>), otherwise a SQLite file so that a fresh machine needs nothing installed.
/// </summary>
public sealed class CatalogueDatabaseOptions
{
    public const string Section = "Vitrina:Catalogue";

    public string? ConnectionString { get; set; }
    public string Schema { get; set; } = "catalogue";
    /// <summary>
    /// Catalogue writer grains across the cluster (each is reentrant and writes what arrived meanwhile as one batch).
    /// Unset: 4 on PostgreSQL, whose writers run in parallel; 1 on SQLite, which has one writer at a time anyway, and
    /// one grain gathers bigger batches than four taking turns (dev machine, 512 concurrent filings: 5,761-6,102 rows/s
    /// against 3,383-3,846).
    /// </summary>
    public int? Writers { get; set; }

    public int WriterGrains => Writers ?? (IsPostgres ? 4 : 1);

    public bool IsPostgres => ConnectionString is { Length: > 0 };

    public string SqlitePath { get; set; } = Path.Combine("var", "catalogue.db");

    /// <summary>
    /// PostgreSQL connections each silo's catalogue may hold, unless the connection string names its own pool size.
    /// Npgsql's default of 100 per silo, next to Orleans' own pool on the same database, overruns PostgreSQL's
    /// max_connections (100 by default) with a few silos.
    /// </summary>
    public int MaxConnections { get; set; } = 32;

    /// <summary>Long side in pixels of the thumbnail kept with each photo for the shelves.</summary>
    public int ThumbnailSide { get; set; } = Thumbnails.DefaultSide;

    public void Validate()
    {
        if (MaxConnections < 2)
        {
            throw new ArgumentException($"Vitrina:Catalogue:MaxConnections must be at least 2, not {MaxConnections}.");
        }

        if (ThumbnailSide is < Thumbnails.MinSide or > Thumbnails.MaxSide)
        {
            throw new ArgumentException($"Vitrina:Catalogue:ThumbnailSide must be {Thumbnails.MinSide}-{Thumbnails.MaxSide} pixels, not {ThumbnailSide}.");
        }
    }
}
