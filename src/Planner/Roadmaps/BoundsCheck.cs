namespace Planner.Roadmaps;

/// <summary>The upper (and date) bounds of <see cref="RoadmapBounds"/>, checked for <see cref="RoadmapValidator"/>.
/// Negative numbers are the validator's own checks; this adds what is too large, too far or too many.</summary>
internal static class BoundsCheck
{
    private static readonly string DateRange = $"between {RoadmapBounds.Format(RoadmapBounds.EarliestDate)} and {RoadmapBounds.Format(RoadmapBounds.LatestDate)}";

    public static void Workspace(Workspace workspace, List<RoadmapProblem> problems)
    {
        if (workspace.PlanningStart == default) // weeks count from it: without one, every date is ~100,000 weeks away
            problems.Add(new(null, "start", "The roadmap needs a planning start, the first day of week 0."));
        else
            Date(null, "start", "The planning start", workspace.PlanningStart, problems);
        if (workspace.RunwayMonths > RoadmapBounds.MaxRunwayMonths)
            problems.Add(new(null, "runwayMonths", $"Runway cannot be more than {RoadmapBounds.MaxRunwayMonths:#,0} months (got {workspace.RunwayMonths})."));
        if (workspace.Teams.Count > RoadmapBounds.MaxTeams)
            problems.Add(new(null, "teams", $"A roadmap can have at most {RoadmapBounds.MaxTeams} teams (got {workspace.Teams.Count:#,0})."));
        if (workspace.Initiatives.Count > RoadmapBounds.MaxInitiatives)
            problems.Add(new(null, "initiatives", $"A roadmap can have at most {RoadmapBounds.Format(RoadmapBounds.MaxInitiatives)} initiatives (got {workspace.Initiatives.Count:#,0})."));
        var weights = workspace.Scoring;
        if (new[] { weights.BusinessValueWeight, weights.TimeCriticalityWeight, weights.RiskReductionWeight }.Any(w => !double.IsFinite(w) || w > RoadmapBounds.MaxScore))
            problems.Add(new(null, "prioritization", $"Weights must be numbers of at most {RoadmapBounds.Format(RoadmapBounds.MaxScore)}."));
        TotalWork(workspace, problems);
    }

    public static void Team(Team team, List<RoadmapProblem> problems)
    {
        if (team.Capacity > RoadmapBounds.MaxPeople)
            problems.Add(new(team.Key, "capacity", $"Capacity cannot be more than {RoadmapBounds.Format(RoadmapBounds.MaxPeople)} people (got {team.Capacity})."));
        foreach (var change in team.CapacityChanges)
        {
            if (change.Capacity > RoadmapBounds.MaxPeople)
                problems.Add(new(team.Key, "capacityChanges", $"Capacity from {RoadmapBounds.Format(change.From)} cannot be more than {RoadmapBounds.Format(RoadmapBounds.MaxPeople)} people (got {change.Capacity})."));
            Date(team.Key, "capacityChanges", "A capacity change", change.From, problems);
        }
    }

    public static void Initiative(Initiative item, List<RoadmapProblem> problems)
    {
        var key = item.Key;
        if (item.DurationWeeks > RoadmapBounds.MaxWeeks)
            problems.Add(new(key, "durationWeeks", $"Duration cannot be more than {RoadmapBounds.MaxWeeks} weeks, ten years (got {item.DurationWeeks})."));
        if (item.EffortPersonWeeks is { } effort && (effort > RoadmapBounds.MaxEffortPersonWeeks || !double.IsFinite(effort)))
            problems.Add(new(key, "effortPersonWeeks", $"Effort cannot be more than {RoadmapBounds.Format(RoadmapBounds.MaxEffortPersonWeeks)} person-weeks (got {effort})."));
        else if (item.DurationWeeks is null && item.ResolvedDurationWeeks > RoadmapBounds.MaxWeeks)
            problems.Add(new(key, "effortPersonWeeks", $"The effort spread over its people takes {item.ResolvedDurationWeeks} weeks; the most is {RoadmapBounds.MaxWeeks} (ten years)."));
        foreach (var demand in item.Demand.Where(d => d.People > RoadmapBounds.MaxPeople))
            problems.Add(new(key, "demand", $"Demand on '{demand.TeamKey}' cannot be more than {RoadmapBounds.Format(RoadmapBounds.MaxPeople)} people (got {demand.People})."));
        foreach (var dependency in item.Dependencies.Where(d => d.LagWeeks > RoadmapBounds.MaxWeeks))
            problems.Add(new(key, "dependsOn", $"Lag after '{dependency.PredecessorKey}' cannot be more than {RoadmapBounds.MaxWeeks} weeks, ten years (got {dependency.LagWeeks})."));
        foreach (var problem in InitiativeTags.Problems(item.Tags))
            problems.Add(new(key, "tags", problem));
        Date(key, "earliestStart", "The earliest start", item.EarliestStart, problems);
        Date(key, "deadline", "The deadline", item.Deadline, problems);
        Date(key, "lockedStart", "The locked start", item.LockedStart, problems);
        AtMost(key, "reach", item.Reach, RoadmapBounds.MaxReach, problems);
        AtMost(key, "impact", item.Impact, RoadmapBounds.MaxScore, problems);
        AtMost(key, "effort", item.Effort, RoadmapBounds.MaxScore, problems);
        AtMost(key, "businessValue", item.BusinessValue, RoadmapBounds.MaxScore, problems);
        AtMost(key, "timeCriticality", item.TimeCriticality, RoadmapBounds.MaxScore, problems);
        AtMost(key, "riskReduction", item.RiskReduction, RoadmapBounds.MaxScore, problems);
        if (item.Evidence is { } evidence)
        {
            if (evidence.SuggestedReach is { } reach && !(reach is >= 0 and <= RoadmapBounds.MaxReach))
                problems.Add(new(key, "evidence", $"The suggested reach must be between 0 and {RoadmapBounds.Format(RoadmapBounds.MaxReach)} (got {reach})."));
            if (evidence.SuggestedConfidence is { } confidence && !(confidence is >= 0 and <= 1))
                problems.Add(new(key, "evidence", $"The suggested confidence is a share between 0 and 1 (got {confidence})."));
            if (evidence.Confirmed < 0 || evidence.Linked < 0 || evidence.Rejected < 0)
                problems.Add(new(key, "evidence", "The counts of confirmed, linked and rejected reviews cannot be negative."));
        }
    }

    private static void AtMost(string key, string field, double? value, double max, List<RoadmapProblem> problems)
    {
        if (value > max)
            problems.Add(new(key, field, $"{field} cannot be more than {RoadmapBounds.Format(max)} (got {value})."));
    }

    private static void Date(string? key, string field, string what, DateOnly? date, List<RoadmapProblem> problems)
    {
        if (date is { } d && (d < RoadmapBounds.EarliestDate || d > RoadmapBounds.LatestDate))
            problems.Add(new(key, field, $"{what} must be {DateRange} (got {RoadmapBounds.Format(d)})."));
    }

    /// <summary>Every planned initiative's duration and longest lag, laid end to end, bounds how long any schedule can
    /// be (after the latest date in the roadmap); it must stay within <see cref="RoadmapBounds.MaxTotalWeeks"/>.</summary>
    private static void TotalWork(Workspace workspace, List<RoadmapProblem> problems)
    {
        long total = 0;
        foreach (var item in workspace.Initiatives.Where(i => i.Status is not (InitiativeStatus.Done or InitiativeStatus.Dropped)))
        {
            total += Math.Clamp(workspace.PlannedWeeks(item), 0, RoadmapBounds.MaxWeeks + 1);
            total += Math.Clamp(item.Dependencies.Select(d => d.LagWeeks).DefaultIfEmpty(0).Max(), 0, RoadmapBounds.MaxWeeks + 1);
        }
        if (total > RoadmapBounds.MaxTotalWeeks)
            problems.Add(new(null, "initiatives", $"All the work laid end to end takes {total:#,0} weeks; Planner plans at most {RoadmapBounds.MaxTotalWeeks:#,0} weeks (1,000 years)."));
    }
}
