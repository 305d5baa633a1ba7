namespace Planner.Roadmaps;

/// <summary>A team and how many people it can put on roadmap work each week.</summary>
public sealed class Team
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }

    /// <summary>Short id used by initiatives' demand, e.g. "be".</summary>
    public required string Key { get; set; }
    public required string Name { get; set; }

    /// <summary>People available per week from the planning start.</summary>
    public int Capacity { get; set; }

    /// <summary>Hires and departures: from each date on, the capacity is the given number.</summary>
    public List<CapacityChange> CapacityChanges { get; set; } = [];

    /// <summary>Capacity in effect on the given date.</summary>
    public int CapacityOn(DateOnly date)
    {
        var capacity = Capacity;
        foreach (var change in CapacityChanges.OrderBy(c => c.From))
        {
            if (change.From <= date) capacity = change.Capacity;
        }
        return capacity;
    }

    /// <summary>The most people this team ever has.</summary>
    public int PeakCapacity => CapacityChanges.Count == 0 ? Capacity : Math.Max(Capacity, CapacityChanges.Max(c => c.Capacity));
}
