namespace Planner.Roadmaps;

/// <summary>How tags are written: trimmed, inner runs of white space made one space, empty ones dropped, and one of
/// each ignoring case (the first spelling wins). Limits (<see cref="RoadmapBounds.MaxTags"/>,
/// <see cref="RoadmapBounds.MaxTagLength"/>) are the validator's to report, not cut silently.</summary>
public static class InitiativeTags
{
    public static readonly StringComparer Comparer = StringComparer.OrdinalIgnoreCase;

    /// <summary>The characters that separate list entries in CSV cells (<c>InitiativeText.SplitList</c>).</summary>
    public static readonly char[] Separators = [';', ','];

    public static List<string> Normalize(IEnumerable<string?> tags)
    {
        var seen = new HashSet<string>(Comparer);
        var result = new List<string>();
        foreach (var raw in tags)
        {
            var tag = Tidy(raw);
            if (tag.Length > 0 && seen.Add(tag)) result.Add(tag);
        }
        return result;
    }

    /// <summary>One tag trimmed with inner white space collapsed; "" for null or blank.</summary>
    public static string Tidy(string? tag) =>
        tag is null ? "" : string.Join(' ', tag.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Every tag used in the workspace, one spelling each, in alphabetical order.</summary>
    public static IReadOnlyList<string> InUse(Workspace workspace) =>
        [.. Normalize(workspace.Initiatives.SelectMany(i => i.Tags)).Order(Comparer)];

    /// <summary>What is wrong with one initiative's tags, in words (nothing when they are fine).</summary>
    public static IEnumerable<string> Problems(IReadOnlyList<string> tags)
    {
        if (tags.Count > RoadmapBounds.MaxTags)
            yield return $"An initiative can have at most {RoadmapBounds.MaxTags} tags (got {tags.Count}).";
        foreach (var tag in tags.Where(t => t.Length > RoadmapBounds.MaxTagLength))
            yield return $"The tag '{tag[..RoadmapBounds.MaxTagLength]}…' is longer than {RoadmapBounds.MaxTagLength} characters ({tag.Length}).";
        foreach (var tag in tags.Where(t => t.AsSpan().IndexOfAny(Separators) >= 0))
            yield return $"The tag '{tag}' contains ';' or ',', which separate tags in CSV files.";
        if (tags.Any(t => Tidy(t).Length == 0))
            yield return "A tag is empty.";
        foreach (var group in tags.GroupBy(Tidy, Comparer).Where(g => g.Key.Length > 0 && g.Count() > 1))
            yield return $"The tag '{group.Key}' is listed {group.Count()} times (tags ignore case).";
    }
}
