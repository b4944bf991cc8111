using Orleans.Hosting;

namespace Vitrina.Grains.Hosting;

/// <summary>Where Vitrina's grain state lives: the storage name every grain uses, and the in-memory set-up.</summary>
public static class GrainStateStorage
{
    /// <summary>The grain storage every Vitrina grain's persistent state names.</summary>
    public const string Name = "vitrina";

    /// <summary>
    /// Grain state and reminders in memory: the single-node default, and the in-process silos of tests and benchmarks
    /// (a PostgreSQL cluster registers the ADO.NET providers under <see cref="Name"/> instead).
    /// </summary>
    public static ISiloBuilder UseVitrinaInMemoryState(this ISiloBuilder silo) =>
        silo.AddMemoryGrainStorage(Name).UseInMemoryReminderService();
}
