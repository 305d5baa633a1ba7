using Planner.Engine.Data;

namespace Planner.Hosting.Training;

/// <summary>The documents read for a run, and a warning for every file that was skipped.</summary>
public sealed record CorpusLoad(IReadOnlyList<TextDocument> Documents, IReadOnlyList<string> Warnings);
