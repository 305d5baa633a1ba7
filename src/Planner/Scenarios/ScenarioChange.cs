using Planner.Roadmaps;
using Planner.Scheduling;

namespace Planner.Scenarios;

/// <summary>One "what if": applied to a copy of the workspace (and the scheduling options) by <see cref="ScenarioRunner"/>.
/// The baseline schedule is given so that changes such as "delay by 4 weeks" can refer to current dates.</summary>
public abstract record ScenarioChange
{
    /// <summary>Applies the change; returns a problem (unknown item or team, bad number) instead of throwing.</summary>
    internal abstract RoadmapProblem? Apply(Workspace workspace, Schedule baseline, ScenarioOptions options);

    /// <summary>The change in words, e.g. "Backend −2 people from 2027-04-05".</summary>
    public abstract string Describe();

    protected static RoadmapProblem UnknownInitiative(string key) => new(key, null, $"There is no initiative '{key}'.");
}

/// <summary>Scheduling settings a scenario may change (objective, first-in-line items, horizon).</summary>
public sealed class ScenarioOptions(SchedulerOptions start)
{
    public SchedulerOptions Scheduler { get; set; } = start;
}

/// <summary>A team gains or loses people from a date on ("we lose two engineers in Q2").</summary>
public sealed record CapacityDelta(string Team, int Delta, DateOnly From) : ScenarioChange
{
    internal override RoadmapProblem? Apply(Workspace workspace, Schedule baseline, ScenarioOptions options)
    {
        var team = workspace.FindTeam(Team) ?? workspace.Teams.Find(t => string.Equals(t.Name, Team, StringComparison.OrdinalIgnoreCase));
        if (team is null) return new(Team, "team", $"There is no team '{Team}'.");
        // The new level from `From`, and every later change shifted by the same delta.
        var changes = team.CapacityChanges.Where(c => c.From < From).ToList();
        changes.Add(new CapacityChange(From, Math.Max(0, team.CapacityOn(From) + Delta)));
        changes.AddRange(team.CapacityChanges.Where(c => c.From > From).Select(c => c with { Capacity = Math.Max(0, c.Capacity + Delta) }));
        team.CapacityChanges = changes;
        return null;
    }

    public override string Describe() => $"{Team} {(Delta >= 0 ? "+" : "−")}{Math.Abs(Delta)} {(Math.Abs(Delta) == 1 ? "person" : "people")} from {From:yyyy-MM-dd}";
}

/// <summary>An initiative cannot start until N weeks after its current start.</summary>
public sealed record Delay(string Initiative, int Weeks) : ScenarioChange
{
    internal override RoadmapProblem? Apply(Workspace workspace, Schedule baseline, ScenarioOptions options)
    {
        var item = workspace.FindInitiative(Initiative);
        if (item is null) return UnknownInitiative(Initiative);
        var current = baseline.Find(Initiative)?.StartWeek ?? 0;
        item.EarliestStart = workspace.WeekStart(current + Weeks);
        if (item.LockedStart is not null) item.LockedStart = workspace.WeekStart(current + Weeks);
        return null;
    }

    public override string Describe() => $"delay {Initiative} by {Weeks} week{(Weeks == 1 ? "" : "s")}";
}

/// <summary>A new estimate for an initiative's duration.</summary>
public sealed record Reestimate(string Initiative, int Weeks) : ScenarioChange
{
    internal override RoadmapProblem? Apply(Workspace workspace, Schedule baseline, ScenarioOptions options)
    {
        var item = workspace.FindInitiative(Initiative);
        if (item is null) return UnknownInitiative(Initiative);
        if (Weeks < 0) return new(Initiative, "durationWeeks", "A duration cannot be negative.");
        item.DurationWeeks = Weeks;
        return null;
    }

    public override string Describe() => $"re-estimate {Initiative} at {Weeks} week{(Weeks == 1 ? "" : "s")}";
}

/// <summary>Drop an initiative from the plan; its dependants no longer wait for it.</summary>
public sealed record Cut(string Initiative) : ScenarioChange
{
    internal override RoadmapProblem? Apply(Workspace workspace, Schedule baseline, ScenarioOptions options)
    {
        var item = workspace.FindInitiative(Initiative);
        if (item is null) return UnknownInitiative(Initiative);
        item.Status = InitiativeStatus.Dropped;
        return null;
    }

    public override string Describe() => $"cut {Initiative}";
}

/// <summary>Shrink an initiative's scope by a percentage of its duration (rounded up to whole weeks).</summary>
public sealed record Shrink(string Initiative, int Percent) : ScenarioChange
{
    internal override RoadmapProblem? Apply(Workspace workspace, Schedule baseline, ScenarioOptions options)
    {
        var item = workspace.FindInitiative(Initiative);
        if (item is null) return UnknownInitiative(Initiative);
        if (Percent is < 0 or > 100) return new(Initiative, null, "Shrink by a percentage between 0 and 100.");
        var weeks = workspace.PlannedWeeks(item);
        item.DurationWeeks = (int)Math.Ceiling(weeks * (100 - Percent) / 100.0);
        item.EffortPersonWeeks = null;
        return null;
    }

    public override string Describe() => $"shrink {Initiative} by {Percent}%";
}

/// <summary>Add a new initiative to the plan.</summary>
public sealed record AddInitiative(Initiative Item) : ScenarioChange
{
    internal override RoadmapProblem? Apply(Workspace workspace, Schedule baseline, ScenarioOptions options)
    {
        if (workspace.FindInitiative(Item.Key) is not null) return new(Item.Key, "id", $"The id '{Item.Key}' is already used.");
        var added = Item.Clone();
        added.Order = workspace.Initiatives.Count == 0 ? 0 : workspace.Initiatives.Max(i => i.Order) + 1;
        workspace.Initiatives.Add(added);
        return null;
    }

    public override string Describe() => $"add {Item.Key} '{Item.Title}' ({Item.ResolvedDurationWeeks} weeks)";
}

/// <summary>Only the runway's worth of weeks is available: work finishing later is reported.</summary>
public sealed record RunwayLimit(int Months) : ScenarioChange
{
    internal override RoadmapProblem? Apply(Workspace workspace, Schedule baseline, ScenarioOptions options)
    {
        if (Months <= 0) return new(null, "runway", "The runway must be at least one month.");
        var end = workspace.PlanningStart.AddMonths(Months);
        options.Scheduler = options.Scheduler with { HorizonWeeks = Math.Max(0, workspace.WeekOf(end)) };
        return null;
    }

    public override string Describe() => $"runway of {Months} month{(Months == 1 ? "" : "s")}";
}

/// <summary>Ship these initiatives first ("ship billing first"): they go ahead of everything else's ranking.</summary>
public sealed record ShipFirst(string Initiative) : ScenarioChange
{
    internal override RoadmapProblem? Apply(Workspace workspace, Schedule baseline, ScenarioOptions options)
    {
        if (workspace.FindInitiative(Initiative) is null) return UnknownInitiative(Initiative);
        options.Scheduler = options.Scheduler with
        {
            Objective = ScheduleObjective.Weighted,
            First = [.. options.Scheduler.First, Initiative],
        };
        return null;
    }

    public override string Describe() => $"ship {Initiative} first";
}

/// <summary>The founder moved an initiative on the Gantt: its start is locked to that week, and the rest re-plan around it.</summary>
public sealed record LockStart(string Initiative, int Week) : ScenarioChange
{
    internal override RoadmapProblem? Apply(Workspace workspace, Schedule baseline, ScenarioOptions options)
    {
        var item = workspace.FindInitiative(Initiative);
        if (item is null) return UnknownInitiative(Initiative);
        if (Week < 0) return new(Initiative, "lockedStart", $"Week {Week} is before the planning start ({workspace.PlanningStart:yyyy-MM-dd}).");
        item.LockedStart = workspace.WeekStart(Week);
        return null;
    }

    public override string Describe() => $"start {Initiative} in week {Week}";
}
