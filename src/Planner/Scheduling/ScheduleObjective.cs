namespace Planner.Scheduling;

public enum ScheduleObjective
{
    /// <summary>Finish everything as early as possible.</summary>
    Makespan,
    /// <summary>Minimise Σ priority weight × finish week: valuable, urgent work first.</summary>
    Weighted,
}
