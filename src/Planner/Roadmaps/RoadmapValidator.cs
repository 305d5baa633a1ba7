namespace Planner.Roadmaps;

/// <summary>Checks a workspace's roadmap for the mistakes a founder can make: unknown references, negative numbers,
/// duplicate ids, self-dependencies, dependency cycles, and numbers or dates past <see cref="RoadmapBounds"/>.
/// Returns every problem, not just the first. A roadmap it accepts can be scheduled without overflow.</summary>
public static class RoadmapValidator
{
    public static IReadOnlyList<RoadmapProblem> Validate(Workspace workspace)
    {
        var problems = new List<RoadmapProblem>();
        if (string.IsNullOrWhiteSpace(workspace.Name)) problems.Add(new(null, "name", "The workspace needs a name."));
        if (workspace.RunwayMonths is < 0) problems.Add(new(null, "runwayMonths", "Runway cannot be negative."));
        if (workspace.DefaultEstimateWeeks is < 1 or > RoadmapBounds.MaxWeeks)
            problems.Add(new(null, "defaultEstimateWeeks", $"The default estimate is 1 to {RoadmapBounds.MaxWeeks} weeks (got {workspace.DefaultEstimateWeeks})."));
        BoundsCheck.Workspace(workspace, problems);

        CheckUnique(workspace.Teams.Select(t => t.Key), "team", problems);
        CheckUnique(workspace.Objectives.Select(o => o.Key), "objective", problems);
        CheckUnique(workspace.Initiatives.Select(i => i.Key), "initiative", problems);

        foreach (var team in workspace.Teams) CheckTeam(team, problems);
        foreach (var objective in workspace.Objectives)
        {
            if (string.IsNullOrWhiteSpace(objective.Key)) problems.Add(new(null, "objectives", "An objective has an empty id."));
            if (string.IsNullOrWhiteSpace(objective.Title)) problems.Add(new(objective.Key, "title", "The objective needs a title."));
            foreach (var keyResult in objective.KeyResults) CheckKeyResult(objective.Key, keyResult, problems);
        }

        var teamKeys = workspace.Teams.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var objectiveKeys = workspace.Objectives.Select(o => o.Key).ToHashSet(StringComparer.Ordinal);
        var initiativeKeys = workspace.Initiatives.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var initiative in workspace.Initiatives)
            CheckInitiative(initiative, teamKeys, objectiveKeys, initiativeKeys, problems);

        if (FindCycle(workspace.Initiatives) is { } cycle)
            problems.Add(new(cycle[0], "dependsOn", $"Dependency cycle: {string.Join(" -> ", cycle)} (each depends on the next)."));
        return problems;
    }

    private static void CheckUnique(IEnumerable<string> keys, string kind, List<RoadmapProblem> problems)
    {
        foreach (var group in keys.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add(new(group.Key, "id", $"The {kind} id '{group.Key}' is used {group.Count()} times; ids must be unique."));
    }

    private static void CheckKeyResult(string objective, KeyResult keyResult, List<RoadmapProblem> problems)
    {
        var name = keyResult.Text.Length > 40 ? keyResult.Text[..40] + "…" : keyResult.Text;
        if (string.IsNullOrWhiteSpace(keyResult.Text)) problems.Add(new(objective, "keyResults", "A key result needs a text."));
        if (new[] { keyResult.Start, keyResult.Current, keyResult.Target }.Any(v => v is { } x && !double.IsFinite(x)))
            problems.Add(new(objective, "keyResults", $"The key result '{name}' has a number that is not finite."));
        var measured = keyResult.Start is not null || keyResult.Current is not null || keyResult.Target is not null;
        if (measured && !keyResult.IsMeasured)
            problems.Add(new(objective, "keyResults", $"The key result '{name}' needs both a start and a target value to measure progress."));
        else if (keyResult.IsMeasured && keyResult.Start == keyResult.Target)
            problems.Add(new(objective, "keyResults", $"The key result '{name}' has the same start and target value; progress cannot be measured."));
    }

    private static void CheckTeam(Team team, List<RoadmapProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(team.Key)) problems.Add(new(null, "teams", "A team has an empty id."));
        if (string.IsNullOrWhiteSpace(team.Name)) problems.Add(new(team.Key, "name", "The team needs a name."));
        if (team.Capacity < 0) problems.Add(new(team.Key, "capacity", $"Capacity cannot be negative (got {team.Capacity})."));
        foreach (var change in team.CapacityChanges.Where(c => c.Capacity < 0))
            problems.Add(new(team.Key, "capacityChanges", $"Capacity from {change.From:yyyy-MM-dd} cannot be negative (got {change.Capacity})."));
        foreach (var group in team.CapacityChanges.GroupBy(c => c.From).Where(g => g.Count() > 1))
            problems.Add(new(team.Key, "capacityChanges", $"Two capacity changes start on {group.Key:yyyy-MM-dd}."));
        BoundsCheck.Team(team, problems);
    }

    private static void CheckInitiative(Initiative item, HashSet<string> teams, HashSet<string> objectives,
        HashSet<string> initiatives, List<RoadmapProblem> problems)
    {
        var key = item.Key;
        if (string.IsNullOrWhiteSpace(key)) problems.Add(new(null, "initiatives", $"The initiative '{item.Title}' has an empty id."));
        if (string.IsNullOrWhiteSpace(item.Title)) problems.Add(new(key, "title", "The initiative needs a title."));
        if (item.DurationWeeks is < 0) problems.Add(new(key, "durationWeeks", $"Duration cannot be negative (got {item.DurationWeeks})."));
        if (item.EffortPersonWeeks is < 0) problems.Add(new(key, "effortPersonWeeks", $"Effort cannot be negative (got {item.EffortPersonWeeks})."));
        // Neither duration nor effort is allowed: the initiative is unestimated and takes the workspace's default.
        if (item.DurationWeeks is null && item.TotalPeople == 0 && item.EffortPersonWeeks > 0)
            problems.Add(new(key, "effortPersonWeeks", "An effort needs a team demand to turn into a duration; add demand or give durationWeeks."));

        foreach (var demand in item.Demand)
        {
            if (!teams.Contains(demand.TeamKey))
                problems.Add(new(key, "demand", $"Unknown team '{demand.TeamKey}'."));
            if (demand.People < 0)
                problems.Add(new(key, "demand", $"Demand on '{demand.TeamKey}' cannot be negative (got {demand.People})."));
        }
        foreach (var group in item.Demand.GroupBy(d => d.TeamKey).Where(g => g.Count() > 1))
            problems.Add(new(key, "demand", $"Team '{group.Key}' is listed {group.Count()} times."));

        foreach (var dependency in item.Dependencies)
        {
            if (dependency.PredecessorKey == key)
                problems.Add(new(key, "dependsOn", "An initiative cannot depend on itself."));
            else if (!initiatives.Contains(dependency.PredecessorKey))
                problems.Add(new(key, "dependsOn", $"Unknown initiative '{dependency.PredecessorKey}'."));
            if (dependency.LagWeeks < 0)
                problems.Add(new(key, "dependsOn", $"Lag after '{dependency.PredecessorKey}' cannot be negative (got {dependency.LagWeeks})."));
        }
        foreach (var group in item.Dependencies.GroupBy(d => d.PredecessorKey).Where(g => g.Count() > 1))
            problems.Add(new(key, "dependsOn", $"'{group.Key}' is listed {group.Count()} times."));

        foreach (var objective in item.ObjectiveKeys.Where(o => !objectives.Contains(o)))
            problems.Add(new(key, "objectives", $"Unknown objective '{objective}'."));

        CheckNonNegative(key, "reach", item.Reach, problems);
        CheckNonNegative(key, "impact", item.Impact, problems);
        CheckNonNegative(key, "effort", item.Effort, problems);
        CheckNonNegative(key, "businessValue", item.BusinessValue, problems);
        CheckNonNegative(key, "timeCriticality", item.TimeCriticality, problems);
        CheckNonNegative(key, "riskReduction", item.RiskReduction, problems);
        if (item.Confidence is < 0 or > 1 || item.Confidence is double c && double.IsNaN(c))
            problems.Add(new(key, "confidence", $"Confidence is a share between 0 and 1 (got {item.Confidence})."));
        BoundsCheck.Initiative(item, problems);
        if (item.EarliestStart is { } earliest && item.Deadline is { } deadline && deadline < earliest)
            problems.Add(new(key, "deadline", $"The deadline {deadline:yyyy-MM-dd} is before the earliest start {earliest:yyyy-MM-dd}."));
        if (item.LockedStart is { } locked && item.EarliestStart is { } from && locked < from)
            problems.Add(new(key, "lockedStart", $"The locked start {locked:yyyy-MM-dd} is before the earliest start {from:yyyy-MM-dd}."));
    }

    private static void CheckNonNegative(string key, string field, double? value, List<RoadmapProblem> problems)
    {
        if (value is < 0 || value is double v && !double.IsFinite(v))
            problems.Add(new(key, field, $"{field} must be a number of zero or more (got {value})."));
    }

    /// <summary>One dependency cycle as a path that starts and ends at the same initiative, or null when there is none.</summary>
    public static IReadOnlyList<string>? FindCycle(IEnumerable<Initiative> initiatives)
    {
        var byKey = new Dictionary<string, Initiative>(StringComparer.Ordinal);
        foreach (var item in initiatives) byKey.TryAdd(item.Key, item);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the current path, 2 = done
        var path = new List<string>();

        // Iterative depth-first search so that long dependency chains cannot overflow the stack.
        foreach (var root in byKey.Keys.Order(StringComparer.Ordinal))
        {
            if (state.ContainsKey(root)) continue;
            var stack = new Stack<(string Key, int Next)>();
            stack.Push((root, 0));
            state[root] = 1;
            path.Add(root);
            while (stack.Count > 0)
            {
                var (key, next) = stack.Pop();
                var deps = byKey[key].Dependencies;
                if (next < deps.Count)
                {
                    stack.Push((key, next + 1));
                    var pred = deps[next].PredecessorKey;
                    if (!byKey.ContainsKey(pred) || pred == key) continue; // reported elsewhere
                    if (state.TryGetValue(pred, out var s))
                    {
                        if (s == 1)
                        {
                            var start = path.IndexOf(pred);
                            var cycle = path.Skip(start).ToList();
                            cycle.Add(pred);
                            return cycle;
                        }
                        continue;
                    }
                    state[pred] = 1;
                    path.Add(pred);
                    stack.Push((pred, 0));
                }
                else
                {
                    state[key] = 2;
                    path.RemoveAt(path.Count - 1);
                }
            }
        }
        return null;
    }
}
