using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>Maps between the roadmap file's shape and the domain. Field names in problems use the file's spelling.</summary>
public static class RoadmapMapper
{
    public static RoadmapDocument ToDocument(Workspace workspace) => new()
    {
        Name = workspace.Name,
        Start = workspace.PlanningStart,
        Company = NullIfEmpty(workspace.CompanyName),
        Vision = NullIfEmpty(workspace.Vision),
        Stage = EnumNames.Of(workspace.Stage),
        RunwayMonths = workspace.RunwayMonths,
        DefaultEstimateWeeks = workspace.DefaultEstimateWeeks == Workspace.DefaultEstimate ? null : workspace.DefaultEstimateWeeks,
        Prioritization = workspace.Scoring == ScoringSettings.Default ? null : new PrioritizationDocument
        {
            Framework = EnumNames.Of(workspace.Scoring.Framework),
            BusinessValueWeight = workspace.Scoring.BusinessValueWeight == 1 ? null : workspace.Scoring.BusinessValueWeight,
            TimeCriticalityWeight = workspace.Scoring.TimeCriticalityWeight == 1 ? null : workspace.Scoring.TimeCriticalityWeight,
            RiskReductionWeight = workspace.Scoring.RiskReductionWeight == 1 ? null : workspace.Scoring.RiskReductionWeight,
        },
        Teams = [.. workspace.Teams.Select(t => new TeamDocument
        {
            Id = t.Key,
            Name = t.Name,
            Capacity = t.Capacity,
            CapacityChanges = t.CapacityChanges.Count == 0 ? null
                : [.. t.CapacityChanges.OrderBy(c => c.From).Select(c => new CapacityChangeDocument { From = c.From, Capacity = c.Capacity })],
        })],
        Objectives = [.. workspace.Objectives.Select(o => new ObjectiveDocument { Id = o.Key, Title = o.Title, KeyResults = [.. o.KeyResults.Select(ToDocument)] })],
        Initiatives = [.. workspace.Initiatives.OrderBy(i => i.Order).Select(ToDocument)],
    };

    private static KeyResultDocument ToDocument(KeyResult k) => new(k.Text, NullIfEmpty(k.Unit), k.Start, k.Current, k.Target);

    private static InitiativeDocument ToDocument(Initiative i) => new()
    {
        Id = i.Key,
        Title = i.Title,
        Description = NullIfEmpty(i.Description),
        Status = EnumNames.Of(i.Status),
        DurationWeeks = i.DurationWeeks,
        EffortPersonWeeks = i.EffortPersonWeeks,
        Demand = i.Demand.ToDictionary(d => d.TeamKey, d => d.People),
        DependsOn = i.Dependencies.Count == 0 ? null : [.. i.Dependencies.Select(d => new DependencyDocument(d.PredecessorKey, d.LagWeeks))],
        EarliestStart = i.EarliestStart,
        Deadline = i.Deadline,
        DeadlineHard = i.DeadlineIsHard ? true : null,
        LockedStart = i.LockedStart,
        Reach = i.Reach,
        Impact = i.Impact,
        Confidence = i.Confidence,
        Effort = i.Effort,
        BusinessValue = i.BusinessValue,
        TimeCriticality = i.TimeCriticality,
        RiskReduction = i.RiskReduction,
        Moscow = i.MoSCoW is { } m ? EnumNames.Of(m) : null,
        Objectives = i.ObjectiveKeys.Count == 0 ? null : [.. i.ObjectiveKeys],
        Tags = i.Tags.Count == 0 ? null : [.. i.Tags],
        Evidence = i.Evidence is not { } e ? null : new EvidenceDocument
        {
            Source = e.Source, Matched = e.Matched, Share = e.Share, Quotes = [.. e.Quotes],
            SuggestedReach = e.SuggestedReach, SuggestedConfidence = e.SuggestedConfidence,
            Sentiment = e.Sentiment.Count == 0 ? null : [.. e.Sentiment],
            Categories = e.Categories.Count == 0 ? null : [.. e.Categories],
            Sources = e.Sources.Count == 0 ? null : [.. e.Sources],
            Basis = e.Basis,
            Confirmed = e.Confirmed == 0 ? null : e.Confirmed,
            Linked = e.Linked == 0 ? null : e.Linked,
            Rejected = e.Rejected == 0 ? null : e.Rejected,
        },
        IgnoreEvidence = i.IgnoreEvidence ? true : null,
        Source = i.Source,
    };

    /// <summary>Builds a workspace from the document. Problems found while mapping (missing or unknown values)
    /// are returned; domain rules (references, cycles) are checked afterwards by <see cref="RoadmapValidator"/>.</summary>
    public static (Workspace Workspace, List<ImportProblem> Problems) ToWorkspace(RoadmapDocument document)
    {
        var problems = new List<ImportProblem>();
        if (string.IsNullOrWhiteSpace(document.Name))
            problems.Add(new(null, "name", null, "The roadmap needs a \"name\" (the workspace it belongs to)."));
        if (document.Start is null)
            problems.Add(new(null, "start", null, "The roadmap needs a \"start\" date (yyyy-mm-dd), the first day of week 0."));

        var stage = CompanyStage.Seed;
        if (document.Stage is { } stageText && !EnumNames.TryParseStage(stageText, out stage))
            problems.Add(new(null, "stage", null, $"Unknown stage '{stageText}'; use one of {string.Join(", ", EnumNames.StageNames)}."));

        var scoring = ScoringSettings.Default;
        if (document.Prioritization is { } p)
        {
            var framework = PrioritizationFramework.Rice;
            if (p.Framework is { } text && !EnumNames.TryParseFramework(text, out framework))
                problems.Add(new(null, "prioritization.framework", null, $"Unknown framework '{text}'; use one of {string.Join(", ", EnumNames.FrameworkNames)}."));
            scoring = new ScoringSettings(framework, p.BusinessValueWeight ?? 1, p.TimeCriticalityWeight ?? 1, p.RiskReductionWeight ?? 1);
            if (scoring.BusinessValueWeight < 0 || scoring.TimeCriticalityWeight < 0 || scoring.RiskReductionWeight < 0)
                problems.Add(new(null, "prioritization", null, "Weights cannot be negative."));
        }

        var workspace = new Workspace
        {
            Scoring = scoring,
            Name = document.Name?.Trim() ?? "",
            PlanningStart = document.Start ?? default,
            CompanyName = document.Company ?? "",
            Vision = document.Vision ?? "",
            Stage = stage,
            RunwayMonths = document.RunwayMonths,
            DefaultEstimateWeeks = document.DefaultEstimateWeeks ?? Workspace.DefaultEstimate,
        };

        foreach (var (team, index) in (document.Teams ?? []).Select((t, n) => (t, n)))
        {
            if (team is null) { problems.Add(new(null, $"teams[{index}]", null, "A team entry is null.")); continue; }
            workspace.Teams.Add(new Team
            {
                Key = team.Id?.Trim() ?? "",
                Name = team.Name?.Trim() ?? "",
                Capacity = team.Capacity,
                CapacityChanges = [.. (team.CapacityChanges ?? []).Where(c => c is not null).Select(c => new CapacityChange(c.From, c.Capacity))],
            });
        }

        foreach (var (objective, index) in (document.Objectives ?? []).Select((o, n) => (o, n)))
        {
            if (objective is null) { problems.Add(new(null, $"objectives[{index}]", null, "An objective entry is null.")); continue; }
            workspace.Objectives.Add(new Objective
            {
                Key = objective.Id?.Trim() ?? "",
                Title = objective.Title?.Trim() ?? "",
                KeyResults = [.. (objective.KeyResults ?? []).Where(k => k is not null && !string.IsNullOrWhiteSpace(k.Text))
                    .Select(k => new KeyResult(k.Text.Trim(), k.Unit?.Trim() ?? "", k.Start, k.Current, k.Target))],
            });
        }

        var order = 0;
        foreach (var (item, index) in (document.Initiatives ?? []).Select((i, n) => (i, n)))
        {
            if (item is null) { problems.Add(new(null, $"initiatives[{index}]", null, "An initiative entry is null.")); continue; }
            workspace.Initiatives.Add(ToInitiative(item, order++, problems));
        }
        return (workspace, problems);
    }

    private static Initiative ToInitiative(InitiativeDocument d, int order, List<ImportProblem> problems)
    {
        var key = d.Id?.Trim() ?? "";
        var status = InitiativeStatus.Planned;
        if (d.Status is { } statusText && !EnumNames.TryParseStatus(statusText, out status))
            problems.Add(new(null, "status", key, $"Unknown status '{statusText}'; use one of {string.Join(", ", EnumNames.StatusNames)}."));
        MoSCoW? moscow = null;
        if (d.Moscow is { } moscowText)
        {
            if (EnumNames.TryParseMoSCoW(moscowText, out var m)) moscow = m;
            else problems.Add(new(null, "moscow", key, $"Unknown MoSCoW value '{moscowText}'; use one of {string.Join(", ", EnumNames.MoSCoWNames)}."));
        }

        return new Initiative
        {
            Key = key,
            Title = d.Title?.Trim() ?? "",
            Description = d.Description ?? "",
            Status = status,
            Order = order,
            DurationWeeks = d.DurationWeeks,
            EffortPersonWeeks = d.EffortPersonWeeks,
            Demand = [.. (d.Demand ?? []).Select(p => new TeamDemand(p.Key, p.Value))],
            Dependencies = [.. (d.DependsOn ?? []).Where(x => x is not null).Select(x => new Dependency(x.Id.Trim(), x.LagWeeks))],
            EarliestStart = d.EarliestStart,
            Deadline = d.Deadline,
            DeadlineIsHard = d.DeadlineHard ?? false,
            LockedStart = d.LockedStart,
            Reach = d.Reach,
            Impact = d.Impact,
            Confidence = d.Confidence,
            Effort = d.Effort,
            BusinessValue = d.BusinessValue,
            TimeCriticality = d.TimeCriticality,
            RiskReduction = d.RiskReduction,
            MoSCoW = moscow,
            ObjectiveKeys = [.. (d.Objectives ?? []).Select(o => o.Trim())],
            Tags = InitiativeTags.Normalize(d.Tags ?? []),
            Evidence = d.Evidence is not { } e ? null
                : new Evidence(e.Source ?? "evidence", e.Matched, e.Share, [.. e.Quotes ?? []], e.SuggestedReach, e.SuggestedConfidence)
                {
                    Sentiment = [.. e.Sentiment ?? []], Categories = [.. e.Categories ?? []], Sources = [.. e.Sources ?? []], Basis = e.Basis,
                    Confirmed = e.Confirmed ?? 0, Linked = e.Linked ?? 0, Rejected = e.Rejected ?? 0,
                },
            IgnoreEvidence = d.IgnoreEvidence ?? false,
            Source = string.IsNullOrWhiteSpace(d.Source) ? null : d.Source.Trim(),
        };
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
