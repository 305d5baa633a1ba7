using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>The file spelling of the domain's enumerations (kebab-case, as people type them).</summary>
public static class EnumNames
{
    private static readonly (CompanyStage Value, string Name)[] Stages =
        [(CompanyStage.PreSeed, "pre-seed"), (CompanyStage.Seed, "seed"), (CompanyStage.SeriesA, "series-a"),
         (CompanyStage.SeriesB, "series-b"), (CompanyStage.Growth, "growth")];

    private static readonly (InitiativeStatus Value, string Name)[] Statuses =
        [(InitiativeStatus.Idea, "idea"), (InitiativeStatus.Planned, "planned"), (InitiativeStatus.InProgress, "in-progress"),
         (InitiativeStatus.Done, "done"), (InitiativeStatus.Dropped, "dropped")];

    private static readonly (MoSCoW Value, string Name)[] MoSCoWs =
        [(MoSCoW.Must, "must"), (MoSCoW.Should, "should"), (MoSCoW.Could, "could"), (MoSCoW.Wont, "wont")];

    private static readonly (PrioritizationFramework Value, string Name)[] Frameworks =
        [(PrioritizationFramework.Rice, "rice"), (PrioritizationFramework.Wsjf, "wsjf"), (PrioritizationFramework.MoSCoW, "moscow"),
         (PrioritizationFramework.ValueEffort, "value-effort")];

    public static string Of(PrioritizationFramework value) => Frameworks.First(s => s.Value == value).Name;
    public static IEnumerable<string> FrameworkNames => Frameworks.Select(s => s.Name);
    public static bool TryParseFramework(string text, out PrioritizationFramework value) => TryParse(Frameworks, text, out value);

    public static string Of(CompanyStage value) => Stages.First(s => s.Value == value).Name;
    public static string Of(InitiativeStatus value) => Statuses.First(s => s.Value == value).Name;
    public static string Of(MoSCoW value) => MoSCoWs.First(s => s.Value == value).Name;

    public static IEnumerable<string> StageNames => Stages.Select(s => s.Name);
    public static IEnumerable<string> StatusNames => Statuses.Select(s => s.Name);
    public static IEnumerable<string> MoSCoWNames => MoSCoWs.Select(s => s.Name);

    public static bool TryParseStage(string text, out CompanyStage value) => TryParse(Stages, text, out value);
    public static bool TryParseStatus(string text, out InitiativeStatus value) => TryParse(Statuses, text, out value);

    /// <summary>Accepts "must", "Must have", "won't", "wont" and the like.</summary>
    public static bool TryParseMoSCoW(string text, out MoSCoW value)
    {
        var word = text.Trim().ToLowerInvariant().Replace("'", "").Replace("\u2019", "").Split(' ')[0];
        return TryParse(MoSCoWs, word, out value);
    }

    private static bool TryParse<T>((T Value, string Name)[] table, string text, out T value) where T : struct
    {
        var normalized = text.Trim().ToLowerInvariant().Replace(' ', '-').Replace('_', '-');
        foreach (var (v, name) in table)
        {
            if (name == normalized || name.Replace("-", "") == normalized.Replace("-", ""))
            {
                value = v;
                return true;
            }
        }
        value = default;
        return false;
    }
}
