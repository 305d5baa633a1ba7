namespace Planner.Roadmaps;

/// <summary>A company's planning workspace: who the company is, its teams, objectives and the current roadmap.</summary>
public sealed class Workspace
{
    public int Id { get; set; }

    /// <summary>Short unique name; roadmap files name the workspace they belong to.</summary>
    public required string Name { get; set; }

    public string CompanyName { get; set; } = "";
    public string Vision { get; set; } = "";
    public CompanyStage Stage { get; set; } = CompanyStage.Seed;
    public int? RunwayMonths { get; set; }

    /// <summary>Week 0 of every schedule starts on this date.</summary>
    public DateOnly PlanningStart { get; set; }

    /// <summary>The prioritisation framework and weights this workspace ranks by.</summary>
    public ScoringSettings Scoring { get; set; } = ScoringSettings.Default;

    /// <summary>Weeks an initiative without an estimate is scheduled for (imports from issue trackers bring such items).</summary>
    public int DefaultEstimateWeeks { get; set; } = DefaultEstimate;

    /// <summary>The default of <see cref="DefaultEstimateWeeks"/>.</summary>
    public const int DefaultEstimate = 2;

    public List<Team> Teams { get; set; } = [];
    public List<Objective> Objectives { get; set; } = [];
    public List<Initiative> Initiatives { get; set; } = [];

    public Team? FindTeam(string key) => Teams.Find(t => t.Key == key);
    public Initiative? FindInitiative(string key) => Initiatives.Find(i => i.Key == key);

    /// <summary>The key for a new initiative: "i" and the number after the highest numbered key (i37 after i36). A gap
    /// left by a deleted initiative is not filled, so its key (and the evidence decisions kept under it) does not pass
    /// to the next new one.</summary>
    public string NextInitiativeKey()
    {
        var highest = Initiatives.Select(i => i.Key.StartsWith('i') && int.TryParse(i.Key[1..], System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0).DefaultIfEmpty(0).Max();
        return $"i{highest + 1}";
    }

    /// <summary>The weeks a schedule gives the initiative: its own duration, or <see cref="DefaultEstimateWeeks"/> when it is unestimated.</summary>
    public int PlannedWeeks(Initiative item) => item.ResolvedDurationWeeks ?? (item.IsUnestimated ? DefaultEstimateWeeks : 0);

    /// <summary>The calendar date on which the given 0-based week starts.</summary>
    public DateOnly WeekStart(int week) => PlanningStart.AddDays(checked(7 * week));

    /// <summary>The 0-based week that contains the date (negative before the planning start).</summary>
    public int WeekOf(DateOnly date) => (int)Math.Floor((date.DayNumber - PlanningStart.DayNumber) / 7.0);

    /// <summary>A deep copy that shares nothing mutable with this workspace (for imports, scenarios and editing).</summary>
    public Workspace Clone() => new()
    {
        Id = Id,
        Name = Name,
        CompanyName = CompanyName,
        Vision = Vision,
        Stage = Stage,
        RunwayMonths = RunwayMonths,
        PlanningStart = PlanningStart,
        Scoring = Scoring,
        DefaultEstimateWeeks = DefaultEstimateWeeks,
        Teams = [.. Teams.Select(t => new Team { Id = t.Id, WorkspaceId = t.WorkspaceId, Key = t.Key, Name = t.Name, Capacity = t.Capacity, CapacityChanges = [.. t.CapacityChanges] })],
        Objectives = [.. Objectives.Select(o => new Objective { Id = o.Id, WorkspaceId = o.WorkspaceId, Key = o.Key, Title = o.Title, KeyResults = [.. o.KeyResults] })],
        Initiatives = [.. Initiatives.Select(i => i.Clone())],
    };
}
