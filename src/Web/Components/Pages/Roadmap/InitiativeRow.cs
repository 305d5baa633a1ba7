using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Web.Components.Pages.Roadmap;

/// <summary>One row of the roadmap grid while it is shown or edited: the initiative's fields, with demand and
/// dependencies as the same one-line text the CSV format uses ("be:2;fe:1", "i3;i5:2").</summary>
public sealed class InitiativeRow
{
    public required Initiative Source { get; init; }
    public bool IsNew { get; init; }

    public string Key { get; set; } = "";
    public string Title { get; set; } = "";
    public InitiativeStatus Status { get; set; } = InitiativeStatus.Planned;
    public int? DurationWeeks { get; set; }
    public string DemandText { get; set; } = "";
    public string DependsText { get; set; } = "";
    public DateOnly? Deadline { get; set; }
    public MoSCoW? MoSCoW { get; set; }
    public double? Reach { get; set; }
    public double? Impact { get; set; }
    public double? Confidence { get; set; }
    public double? Effort { get; set; }

    public static InitiativeRow From(Initiative i) => new()
    {
        Source = i.Clone(),
        Key = i.Key,
        Title = i.Title,
        Status = i.Status,
        DurationWeeks = i.DurationWeeks,
        DemandText = InitiativeText.FormatDemand(i.Demand),
        DependsText = InitiativeText.FormatDependencies(i.Dependencies),
        Deadline = i.Deadline,
        MoSCoW = i.MoSCoW,
        Reach = i.Reach,
        Impact = i.Impact,
        Confidence = i.Confidence,
        Effort = i.Effort,
    };

    public static InitiativeRow New(Workspace workspace)
    {
        var key = workspace.NextInitiativeKey();
        return new InitiativeRow
        {
            Source = new Initiative { Key = key, Title = "" },
            IsNew = true,
            Key = key,
            DurationWeeks = 2,
        };
    }

    /// <summary>The edited initiative, or null with the problems in the text fields.</summary>
    public Initiative? ToInitiative(Workspace workspace, List<RoadmapProblem> problems)
    {
        var errors = new List<(string Field, string Message)>();
        var demand = InitiativeText.ParseDemand(DemandText, workspace, "1", errors);
        var dependencies = InitiativeText.ParseDependencies(DependsText,
            reference => workspace.FindInitiative(reference) is not null || reference == Key.Trim() ? reference : null, errors);
        problems.AddRange(errors.Select(e => new RoadmapProblem(Key, e.Field, e.Message)));
        if (errors.Count > 0) return null;

        var result = Source.Clone();
        result.Key = Key.Trim();
        result.Title = Title.Trim();
        result.Status = Status;
        result.DurationWeeks = DurationWeeks;
        result.Demand = demand;
        result.Dependencies = dependencies;
        result.Deadline = Deadline;
        result.MoSCoW = MoSCoW;
        result.Reach = Reach;
        result.Impact = Impact;
        result.Confidence = Confidence;
        result.Effort = Effort;
        return result;
    }
}
