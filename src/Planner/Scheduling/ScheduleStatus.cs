namespace Planner.Scheduling;

public enum ScheduleStatus
{
    /// <summary>Proven best for the objective.</summary>
    Optimal,
    /// <summary>Satisfies every hard constraint; the gap to the lower bound says how far from optimal it may be.</summary>
    Feasible,
    /// <summary>No schedule satisfies the hard constraints; the problems say why.</summary>
    Infeasible,
}
