using Planner.Prioritization;
using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>The roadmap reduced to what scheduling needs, in weeks and team indexes. Done and dropped initiatives
/// take no capacity and count as finished for their dependants. Week arithmetic here and in the schedulers is checked:
/// <see cref="RoadmapBounds"/> keep it far from overflow for any roadmap the validator accepts, so an overflow is a
/// programming error (or an unvalidated roadmap) and throws instead of producing a wrong plan.</summary>
internal sealed class SchedulingInput
{
    public required Workspace Workspace { get; init; }
    public required List<Initiative> Items { get; init; }
    public required Team[] Teams { get; init; }
    public required int[] Duration { get; init; }
    public required int[][] Demand { get; init; }                 // [item][team] people
    public required int[][] DemandTeams { get; init; }            // [item] indexes of teams with demand > 0
    public required List<(int Pred, int Lag)>[] Preds { get; init; }
    public required List<(int Succ, int Lag)>[] Succs { get; init; }
    public required int[] Release { get; init; }                  // earliest start week (>= 0)
    public required int?[] Locked { get; init; }
    public required int?[] LatestFinish { get; init; }            // from hard deadlines
    public required int[] Weight { get; init; }                   // priority weight, 1..1000
    public required int LastCapacityChangeWeek { get; init; }

    private readonly List<int[]> capacity = [];                   // [week][team], grown on demand

    public int Count => Items.Count;

    public int CapacityAt(int team, int week)
    {
        while (capacity.Count <= week)
        {
            var w = capacity.Count;
            capacity.Add([.. Teams.Select(t => t.CapacityOn(Workspace.WeekStart(w)))]);
        }
        return capacity[week][team];
    }

    public static SchedulingInput From(Workspace workspace, SchedulerOptions? options = null)
    {
        options ??= SchedulerOptions.Default;
        var items = workspace.Initiatives.Where(i => i.Status is not (InitiativeStatus.Done or InitiativeStatus.Dropped)).ToList();
        var index = items.Select((item, n) => (item.Key, n)).ToDictionary(p => p.Key, p => p.n, StringComparer.Ordinal);
        var teams = workspace.Teams.ToArray();
        var teamIndex = teams.Select((t, n) => (t.Key, n)).ToDictionary(p => p.Key, p => p.n, StringComparer.Ordinal);
        var demand = items.Select(i =>
        {
            var row = new int[teams.Length];
            foreach (var d in i.Demand) if (teamIndex.TryGetValue(d.TeamKey, out var t)) row[t] += d.People;
            return row;
        }).ToArray();
        var preds = items.Select(i => i.Dependencies.Where(d => index.ContainsKey(d.PredecessorKey))
            .Select(d => (index[d.PredecessorKey], d.LagWeeks)).ToList()).ToArray();
        var succs = Enumerable.Range(0, items.Count).Select(_ => new List<(int, int)>()).ToArray();
        for (var i = 0; i < items.Count; i++) foreach (var (p, lag) in preds[i]) succs[p].Add((i, lag));

        return new SchedulingInput
        {
            Workspace = workspace,
            Items = items,
            Teams = teams,
            Duration = [.. items.Select(workspace.PlannedWeeks)],
            Demand = demand,
            DemandTeams = [.. demand.Select(row => Enumerable.Range(0, row.Length).Where(t => row[t] > 0).ToArray())],
            Preds = preds,
            Succs = succs,
            Release = [.. items.Select(i => i.EarliestStart is { } e ? Math.Max(0, workspace.WeekOf(e)) : 0)],
            Locked = [.. items.Select(i => i.LockedStart is { } l ? (int?)Math.Max(0, workspace.WeekOf(l)) : null)],
            LatestFinish = [.. items.Select(i => i is { Deadline: { } d, DeadlineIsHard: true }
                ? (int?)(i.IsMilestone ? workspace.WeekOf(d) : workspace.WeekOf(d.AddDays(1))) : null)],
            Weight = Weights(workspace, items, options.First),
            LastCapacityChangeWeek = teams.SelectMany(t => t.CapacityChanges).Select(c => Math.Max(0, checked(workspace.WeekOf(c.From) + 1))).DefaultIfEmpty(0).Max(),
        };
    }

    /// <summary>Priority weights from the workspace's ranking: the top initiative weighs 100, the last 1;
    /// initiatives asked to go first weigh 1000.</summary>
    private static int[] Weights(Workspace workspace, List<Initiative> items, IReadOnlyList<string> first)
    {
        var ranks = Prioritizer.Rank(workspace).ToDictionary(s => s.Key, s => s.Rank);
        var n = Math.Max(1, ranks.Count);
        return [.. items.Select(i => first.Contains(i.Key) ? 1000
            : ranks.TryGetValue(i.Key, out var r) ? Math.Max(1, (int)Math.Round(100.0 * (n - r + 1) / n)) : 1)];
    }

    /// <summary>Item indexes in an order where every item comes after its predecessors (the graph is acyclic).</summary>
    public int[] TopologicalOrder()
    {
        var indegree = Preds.Select(p => p.Count).ToArray();
        var queue = new Queue<int>(Enumerable.Range(0, Count).Where(i => indegree[i] == 0));
        var order = new List<int>(Count);
        while (queue.Count > 0)
        {
            var i = queue.Dequeue();
            order.Add(i);
            foreach (var (s, _) in Succs[i]) if (--indegree[s] == 0) queue.Enqueue(s);
        }
        if (order.Count != Count) throw new InvalidOperationException("Validate the roadmap first: its dependencies have a cycle.");
        return [.. order];
    }

    /// <summary>Earliest starts from dependencies, releases and locks alone (no capacity).</summary>
    public int[] EarliestStarts()
    {
        var est = new int[Count];
        foreach (var i in TopologicalOrder())
        {
            var s = Release[i];
            foreach (var (p, lag) in Preds[i]) s = Math.Max(s, checked(est[p] + Duration[p] + lag));
            est[i] = Locked[i] ?? s;
        }
        return est;
    }

    /// <summary>Latest finishes that still let every successor finish by <paramref name="horizon"/> (no capacity).</summary>
    public int[] LatestFinishes(int horizon)
    {
        var lft = new int[Count];
        foreach (var i in TopologicalOrder().Reverse())
        {
            var f = LatestFinish[i] is { } hard ? Math.Min(hard, horizon) : horizon;
            foreach (var (s, lag) in Succs[i]) f = Math.Min(f, checked(lft[s] - Duration[s] - lag));
            lft[i] = f;
        }
        return lft;
    }
}
