using Planner.Roadmaps;

namespace Planner.Scheduling;

/// <summary>The roadmap reduced to what scheduling needs, in weeks and team indexes. Done and dropped initiatives
/// take no capacity and count as finished for their dependants.</summary>
internal sealed class SchedulingInput
{
    public required Workspace Workspace { get; init; }
    public required List<Initiative> Items { get; init; }
    public required int[] Duration { get; init; }
    public required int[][] Demand { get; init; }                 // [item][team] people
    public required List<(int Pred, int Lag)>[] Preds { get; init; }
    public required int[] Release { get; init; }                  // earliest start week (>= 0)
    public required int?[] Locked { get; init; }
    public required int[] CapacityChangeWeeks { get; init; }      // weeks where any team's capacity changes
    public required Team[] Teams { get; init; }

    public int CapacityAt(int team, int week) => Teams[team].CapacityOn(Workspace.WeekStart(week));

    public static SchedulingInput From(Workspace workspace)
    {
        var items = workspace.Initiatives.Where(i => i.Status is not (InitiativeStatus.Done or InitiativeStatus.Dropped)).ToList();
        var index = items.Select((item, n) => (item.Key, n)).ToDictionary(p => p.Key, p => p.n, StringComparer.Ordinal);
        var teams = workspace.Teams.ToArray();
        var teamIndex = teams.Select((t, n) => (t.Key, n)).ToDictionary(p => p.Key, p => p.n, StringComparer.Ordinal);
        return new SchedulingInput
        {
            Workspace = workspace,
            Items = items,
            Teams = teams,
            Duration = [.. items.Select(i => i.ResolvedDurationWeeks ?? 0)],
            Demand = [.. items.Select(i =>
            {
                var row = new int[teams.Length];
                foreach (var d in i.Demand) if (teamIndex.TryGetValue(d.TeamKey, out var t)) row[t] += d.People;
                return row;
            })],
            Preds = [.. items.Select(i => i.Dependencies.Where(d => index.ContainsKey(d.PredecessorKey))
                .Select(d => (index[d.PredecessorKey], d.LagWeeks)).ToList())],
            Release = [.. items.Select(i => i.EarliestStart is { } e ? Math.Max(0, workspace.WeekOf(e)) : 0)],
            Locked = [.. items.Select(i => i.LockedStart is { } l ? (int?)Math.Max(0, workspace.WeekOf(l)) : null)],
            CapacityChangeWeeks = [.. teams.SelectMany(t => t.CapacityChanges).Select(c => Math.Max(0, workspace.WeekOf(c.From) + 1)).Distinct().Order()],
        };
    }

    /// <summary>Item indexes in an order where every item comes after its predecessors (the graph is acyclic).</summary>
    public int[] TopologicalOrder()
    {
        var indegree = new int[Items.Count];
        var successors = Enumerable.Range(0, Items.Count).Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < Items.Count; i++)
            foreach (var (pred, _) in Preds[i]) { indegree[i]++; successors[pred].Add(i); }
        var queue = new Queue<int>(Enumerable.Range(0, Items.Count).Where(i => indegree[i] == 0));
        var order = new List<int>(Items.Count);
        while (queue.Count > 0)
        {
            var i = queue.Dequeue();
            order.Add(i);
            foreach (var s in successors[i]) if (--indegree[s] == 0) queue.Enqueue(s);
        }
        if (order.Count != Items.Count) throw new InvalidOperationException("Validate the roadmap first: its dependencies have a cycle.");
        return [.. order];
    }
}
