using Planner.Documents;
using Planner.Llm;
using Planner.Prioritization;
using Planner.Roadmaps;
using Planner.Scenarios;

namespace Planner.Assistant.Drafting;

/// <summary>A drafted roadmap: the model's raw reply, the items that passed validation (keys d1, d2, …), the problems
/// with the others, and what the planning engine computed for the roadmap with all of them added — scores, schedule,
/// and the diff against the current plan. Nothing is saved until the founder accepts items.</summary>
public sealed record Draft(
    string Brief,
    IReadOnlyList<SearchHit> Passages,
    string Reply,
    IReadOnlyList<Initiative> Items,
    IReadOnlyList<string> Problems,
    ScenarioResult? Result,
    IReadOnlyList<InitiativeScore> Scores)
{
    public static Draft Failed(string brief, string problem, string reply = "", IReadOnlyList<SearchHit>? passages = null) =>
        new(brief, passages ?? [], reply, [], [problem], null, []);

    /// <summary>What the model's generation did (tokens, characters, why it ended), when the backend reports it.</summary>
    public GenerationReport? Generation { get; init; }

    public InitiativeScore? ScoreOf(string key) => Scores.FirstOrDefault(s => s.Key == key);
}
