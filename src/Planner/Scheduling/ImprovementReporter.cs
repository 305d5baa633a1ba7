using System.Diagnostics;
using Google.OrTools.Sat;

namespace Planner.Scheduling;

/// <summary>Hands each solution CP-SAT finds that beats the best so far to <see cref="SchedulerOptions.Progress"/>, as
/// a left-justified plan with the solver's current bound, so a page can show the plan improving while the solve runs.</summary>
internal sealed class ImprovementReporter(SchedulingInput input, SchedulerOptions options, IntVar[] start, long best, Stopwatch clock, Action<Schedule> progress)
    : CpSolverSolutionCallback
{
    public override void OnSolutionCallback()
    {
        var starts = ListScheduler.LeftJustify(input, [.. start.Select(v => (int)Value(v))]);
        var objective = ListScheduler.ObjectiveOf(input, options.Objective, starts);
        if (objective >= best) return;
        best = objective;
        var bound = (long)Math.Ceiling(BestObjectiveBound() - 1e-6);
        progress(ScheduleReport.Build(input, options, starts, [], "cp-sat", ScheduleStatus.Feasible, bound, clock.Elapsed));
    }
}
