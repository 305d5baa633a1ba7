using Planner.Documents;
using Planner.Scenarios;

namespace Planner.Assistant.Chat;

/// <summary>One message of a workspace's chat: the founder's question, or the assistant's answer with the tools it
/// called. Cards and citations are rendered from <see cref="Tools"/> — computed by the planner — never from the text.</summary>
public sealed record ChatEntry(string Role, string Text, DateTime CreatedUtc, IReadOnlyList<ToolRecord> Tools)
{
    public const string User = "user";
    public const string Assistant = "assistant";

    public IEnumerable<CitedPassage> Citations => Tools.SelectMany(t => t.Passages);
    public IEnumerable<ScenarioCard> Scenarios => Tools.Select(t => t.Scenario).OfType<ScenarioCard>();
}

/// <summary>A tool the assistant called: its arguments, the result text the model was given, and the structured facts
/// behind it (a scenario card, cited passages). <see cref="Failed"/> when the call was refused or went wrong.</summary>
public sealed record ToolRecord(string Tool, string Arguments, string Result, bool Failed, ScenarioCard? Scenario = null, IReadOnlyList<CitedPassage>? PassagesOrNull = null)
{
    public IReadOnlyList<CitedPassage> Passages => PassagesOrNull ?? [];
}

/// <summary>A document passage an answer may cite as [n].</summary>
public sealed record CitedPassage(int Number, Citation Citation, string Text);

/// <summary>A what-if the assistant ran, as numbers: the changes (in the scenario language, so it can be recomputed
/// and applied with a click), the summary written by code, end weeks and every moved initiative.</summary>
public sealed record ScenarioCard(
    IReadOnlyList<string> Changes,
    string Summary,
    int BaselineWeeks,
    int ScenarioWeeks,
    IReadOnlyList<ItemDelta> Moved,
    IReadOnlyList<string> NewlyMissedDeadlines,
    IReadOnlyList<UtilisationDelta> Utilisation)
{
    public static ScenarioCard From(IReadOnlyList<string> changes, ScenarioResult result) => new(
        changes, result.Summary, result.Diff.BaselineMakespanWeeks, result.Diff.ScenarioMakespanWeeks,
        [.. result.Diff.Moved], result.Diff.NewlyMissedDeadlines, result.Diff.Utilisation);
}
