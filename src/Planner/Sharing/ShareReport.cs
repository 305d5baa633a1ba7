using Planner.Scheduling;

namespace Planner.Sharing;

/// <summary>The one-page roadmap for stakeholders, computed once and written as PDF (<see cref="SharePdf"/>) or HTML
/// (<see cref="ShareHtml"/>): the company, its objectives and their progress, the plan with computed dates,
/// now / next / later, key dates, and the risks (missed deadlines) — or, for a roadmap that cannot be scheduled,
/// why not.</summary>
public sealed record ShareReport
{
    public required string WorkspaceName { get; init; }
    public required string Company { get; init; }
    public string Vision { get; init; } = "";
    public string Stage { get; init; } = "";
    public int? RunwayMonths { get; init; }
    public DateOnly PlanningStart { get; init; }

    /// <summary>The day the share was made: now / next / later are counted from it.</summary>
    public DateOnly Today { get; init; }

    public ShareScale Scale { get; init; }
    public ScheduleStatus Status { get; init; }

    /// <summary>The last day of the plan's work; null when the roadmap has no initiatives.</summary>
    public DateOnly? End { get; init; }

    public int Weeks { get; init; }
    public IReadOnlyList<ShareObjective> Objectives { get; init; } = [];

    /// <summary>Every initiative still to do (not done, not dropped), in plan order (by start, then the roadmap's order).</summary>
    public IReadOnlyList<ShareItem> Items { get; init; } = [];

    /// <summary>The titles of the initiatives already done.</summary>
    public IReadOnlyList<string> Done { get; init; } = [];

    public IReadOnlyList<ShareDate> KeyDates { get; init; } = [];

    /// <summary>What the plan does not honour (missed soft deadlines, unestimated work), in words.</summary>
    public IReadOnlyList<string> Risks { get; init; } = [];

    /// <summary>Why the roadmap cannot be scheduled as it stands; empty when it can. The dates shown are then the
    /// closest plan found, which breaks these constraints.</summary>
    public IReadOnlyList<string> InfeasibleReasons { get; init; } = [];

    public bool IsInfeasible => InfeasibleReasons.Count > 0;

    public IEnumerable<ShareItem> In(ShareHorizon horizon) => Items.Where(i => i.Horizon == horizon);
}
