namespace Planner.Engine.Data;

/// <summary>The documents read from a corpus and a warning for every file that was skipped.</summary>
public sealed record CorpusLoadResult(IReadOnlyList<TextDocument> Documents, IReadOnlyList<string> Warnings);
