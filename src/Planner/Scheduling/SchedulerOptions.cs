namespace Planner.Scheduling;

/// <summary>How to schedule: the objective, whether to run the CP-SAT optimiser and for how long.</summary>
public sealed record SchedulerOptions
{
    public ScheduleObjective Objective { get; init; } = ScheduleObjective.Makespan;

    /// <summary>Run CP-SAT after the heuristic (warm-started by it). Off: the heuristic's schedule is the answer.</summary>
    public bool UseSolver { get; init; } = true;

    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Solver threads when <see cref="Reproducible"/> is off; defaults to every core (a reproducible solve uses one).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>A cap on the plan's length in weeks (e.g. the runway): work that cannot finish by then is reported.</summary>
    public int? HorizonWeeks { get; init; }

    /// <summary>Initiatives to schedule first, whatever their score (a scenario's "ship billing first").</summary>
    public IReadOnlyList<string> First { get; init; } = [];

    /// <summary>A previous plan's start weeks (a scenario's baseline). Among equally good schedules the solver then
    /// prefers the one that moves the fewest weeks from it, so a what-if shows what the change forces, not ties.</summary>
    public IReadOnlyDictionary<string, int>? Anchor { get; init; }

    /// <summary>Same roadmap and options, same plan: the solver searches on one thread, deterministically, and stops at
    /// a budget of deterministic work within <see cref="TimeLimit"/> (see <see cref="CpSatScheduler"/>). Off: CP-SAT's
    /// parallel portfolio on <see cref="Workers"/> threads, whose result can change from run to run.</summary>
    public bool Reproducible { get; init; } = true;

    /// <summary>Called with each better plan while the solve runs — the heuristic's at once, then every improvement the
    /// solver finds, with its bound — from the solver's thread; the returned schedule is the final word. For a page
    /// that shows the plan improving (and a Stop that cancels the solve and keeps the best so far).</summary>
    public Action<Schedule>? Progress { get; init; }

    /// <summary>Extra CP-SAT parameters in its text format ("name:value, ..."), applied after the scheduler's own; for
    /// benchmarking the solver's settings (the benchmark's <c>--params</c>), not needed in use.</summary>
    public string? SolverParameters { get; init; }

    public static SchedulerOptions Default { get; } = new();
}
