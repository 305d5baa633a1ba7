using Planner.Documents;

namespace Planner.Assistant;

/// <summary>The passages an answer was given (numbered as the model was asked to cite them), for the citations list.</summary>
public sealed record DocumentAnswer(IReadOnlyList<SearchHit> Passages, string Prompt);
