using Planner.Roadmaps;

namespace Planner.Sharing;

/// <summary>An objective as shared: its title, its key results in words and its progress.</summary>
public sealed record ShareObjective(string Key, string Title, IReadOnlyList<string> KeyResults, ObjectiveProgress Progress);
