using System.Text.Json;
using System.Text.Json.Serialization;

namespace Planner.Roadmaps;

/// <summary>Which initiatives a view shows: by team (demand), objective, status, MoSCoW category and tag. Within one
/// facet any chosen value matches; across facets all must; an empty facet does not filter.</summary>
public sealed record RoadmapFilter
{
    public static readonly RoadmapFilter None = new();

    /// <summary>Team keys: an initiative matches when it demands people of one of them.</summary>
    public IReadOnlyList<string> Teams { get; init; } = [];

    /// <summary>Objective keys: an initiative matches when it is linked to one of them.</summary>
    public IReadOnlyList<string> Objectives { get; init; } = [];

    public IReadOnlyList<InitiativeStatus> Statuses { get; init; } = [];

    /// <summary>MoSCoW categories; an initiative without one does not match a filter that names any.</summary>
    public IReadOnlyList<MoSCoW> Categories { get; init; } = [];

    /// <summary>Tags, compared ignoring case: an initiative matches when it carries one of them.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonIgnore]
    public bool IsEmpty => Teams.Count == 0 && Objectives.Count == 0 && Statuses.Count == 0 && Categories.Count == 0 && Tags.Count == 0;

    public bool Matches(Initiative item) =>
        (Teams.Count == 0 || item.Demand.Any(d => Teams.Contains(d.TeamKey)))
        && (Objectives.Count == 0 || item.ObjectiveKeys.Any(Objectives.Contains))
        && (Statuses.Count == 0 || Statuses.Contains(item.Status))
        && (Categories.Count == 0 || item.MoSCoW is { } m && Categories.Contains(m))
        && (Tags.Count == 0 || item.Tags.Any(t => Tags.Contains(t, InitiativeTags.Comparer)));

    /// <summary>The keys of the workspace's initiatives this filter shows.</summary>
    public IReadOnlySet<string> Apply(Workspace workspace) =>
        workspace.Initiatives.Where(Matches).Select(i => i.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>What this filter names that the workspace no longer has (a saved view over a deleted team, or a tag no
    /// initiative carries any more), in words.</summary>
    public IReadOnlyList<string> Missing(Workspace workspace)
    {
        var tags = InitiativeTags.InUse(workspace);
        return
        [
            .. Teams.Where(t => workspace.FindTeam(t) is null).Select(t => $"team '{t}' no longer exists"),
            .. Objectives.Where(o => workspace.Objectives.All(x => x.Key != o)).Select(o => $"objective '{o}' no longer exists"),
            .. Tags.Where(t => !tags.Contains(t, InitiativeTags.Comparer)).Select(t => $"no initiative is tagged '{t}' any more"),
        ];
    }

    /// <summary>This filter without the teams, objectives and tags the workspace no longer has.</summary>
    public RoadmapFilter KnownIn(Workspace workspace)
    {
        var tags = InitiativeTags.InUse(workspace);
        return this with
        {
            Teams = [.. Teams.Where(t => workspace.FindTeam(t) is not null)],
            Objectives = [.. Objectives.Where(o => workspace.Objectives.Any(x => x.Key == o))],
            Tags = [.. Tags.Where(t => tags.Contains(t, InitiativeTags.Comparer))],
        };
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The filter stored as JSON; null when the text is not one (a damaged row is shown as such, not thrown).</summary>
    public static RoadmapFilter? FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<RoadmapFilter>(json, JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
