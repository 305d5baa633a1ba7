namespace Planner.Documents;

/// <summary>A passage that matched a query, its citation and its BM25 score.</summary>
public sealed record SearchHit(string Text, Citation Citation, float Score);
