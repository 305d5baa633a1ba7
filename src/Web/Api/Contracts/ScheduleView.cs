using Planner.Roadmaps;

namespace Planner.Web.Api.Contracts;

/// <summary>A computed schedule: when each initiative runs, how good the plan is (status, objective value, lower bound,
/// gap) and what could not be honoured, each with a reason.</summary>
/// <param name="Status">optimal, feasible or infeasible.</param>
/// <param name="Method">cp-sat or heuristic.</param>
/// <param name="Objective">makespan or weighted.</param>
/// <param name="Gap">(value − bound) ÷ value; 0 when proven optimal.</param>
public sealed record ScheduleView(
    string Status,
    string Method,
    string Objective,
    int MakespanWeeks,
    DateOnly Finish,
    long ObjectiveValue,
    long LowerBound,
    double Gap,
    int MakespanLowerBound,
    double SolveSeconds,
    IReadOnlyList<ScheduledInitiative> Items,
    IReadOnlyList<RoadmapProblem> Problems);
