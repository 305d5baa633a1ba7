using System.Globalization;
using System.Text.Json;
using Planner.Llm;
using Planner.Roadmaps;

namespace Planner.Assistant.Drafting;

/// <summary>Reads the model's JSON into initiatives and checks every item against the workspace. An invalid item is
/// reported (with its number and the reason) and dropped — never repaired; a reply that is not JSON at all (a remote
/// model ignoring the format, or a reply cut off by the output limit) yields no items and one problem.</summary>
public static class DraftParser
{
    /// <summary>Parses and checks <paramref name="json"/>. <paramref name="generation"/>, when the backend reports one
    /// (the local model does), turns "it may have been cut off" into the counted reason.</summary>
    public static (IReadOnlyList<Initiative> Items, IReadOnlyList<string> Problems) Parse(string json, Workspace workspace, DraftOptions options, GenerationReport? generation = null)
    {
        var items = new List<Initiative>();
        var problems = new List<string>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(ExtractObject(json));
        }
        catch (JsonException e)
        {
            return ([], [NotJson(e.Message.Split(" Path:")[0].TrimEnd('.'), options, generation)]);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("initiatives", out var list) || list.ValueKind != JsonValueKind.Array)
                return ([], ["The model's reply has no \"initiatives\" list. Nothing was drafted."]);
            var number = 0;
            var titles = new HashSet<string>(workspace.Initiatives.Select(i => Normalize(i.Title)));
            foreach (var element in list.EnumerateArray())
            {
                number++;
                if (items.Count >= options.MaxItems)
                {
                    problems.Add($"Item {number}: more items than the {options.MaxItems} asked for; dropped.");
                    continue;
                }
                try
                {
                    var item = Read(element, number, workspace, options);
                    if (!titles.Add(Normalize(item.Title)))
                        throw new Rejected($"Item {number} (\"{item.Title}\"): an initiative with this title already exists or was drafted twice; dropped.");
                    items.Add(item);
                }
                catch (Rejected r)
                {
                    problems.Add(r.Message);
                }
            }
            if (number == 0) problems.Add("The model drafted no initiatives.");
        }
        // Keys that cannot clash with the workspace's: d1, d2, … (renumbered when accepted).
        var n = 1;
        foreach (var item in items)
        {
            while (workspace.FindInitiative($"d{n}") is not null) n++;
            item.Key = $"d{n++}";
        }
        return (items, problems);
    }

    /// <summary>Why one drafted item was dropped.</summary>
    private sealed class Rejected(string message) : Exception(message);

    private static Initiative Read(JsonElement e, int number, Workspace workspace, DraftOptions options)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new Rejected($"Item {number} is not an object; dropped.");
        var title = Text(e, "title")?.Trim();
        if (string.IsNullOrEmpty(title)) throw new Rejected($"Item {number}: no title; dropped.");
        Exception Fail(string reason) => new Rejected($"Item {number} (\"{title}\"): {reason}; dropped.");
        if (title.Contains('\uFFFD') || Description(e).Contains('\uFFFD')) throw Fail("the text contains bytes that are not valid UTF-8");
        if (Characters(title) > options.MaxTitleChars) throw Fail($"title longer than {options.MaxTitleChars} characters");
        var description = Description(e);
        if (Characters(description) > options.MaxDescriptionChars) throw Fail($"description longer than {options.MaxDescriptionChars} characters");
        var teamKey = Text(e, "team");
        var team = teamKey is null ? null : workspace.FindTeam(teamKey);
        if (team is null) throw Fail($"unknown team '{teamKey}' (teams: {string.Join(", ", workspace.Teams.Select(t => t.Key))})");
        var people = Number(e, "people");
        if (people is not { } p || p < 1 || p != Math.Floor(p)) throw Fail("people must be a whole number of at least 1");
        if (p > team.PeakCapacity) throw Fail($"needs {p} people but team {team.Key} never has more than {team.PeakCapacity}");
        var weeks = Number(e, "weeks");
        if (weeks is not { } w || w < 1 || w > options.MaxWeeks || w != Math.Floor(w)) throw Fail($"weeks must be a whole number from 1 to {options.MaxWeeks} (got {weeks?.ToString(CultureInfo.InvariantCulture) ?? "none"})");
        var reach = Number(e, "reach");
        if (reach is < 0) throw Fail("reach cannot be negative");
        var impact = Number(e, "impact");
        if (impact is { } im && !DraftGrammar.Impacts.Contains(im.ToString(CultureInfo.InvariantCulture))) throw Fail($"impact {im} is not one of {string.Join(", ", DraftGrammar.Impacts)}");
        var confidence = Number(e, "confidence");
        if (confidence is { } c && !DraftGrammar.Confidences.Contains(c.ToString(CultureInfo.InvariantCulture))) throw Fail($"confidence {c} is not one of {string.Join(", ", DraftGrammar.Confidences)}");
        var moscowText = Text(e, "moscow");
        MoSCoW? moscow = moscowText switch
        {
            null => null,
            "must" => MoSCoW.Must,
            "should" => MoSCoW.Should,
            "could" => MoSCoW.Could,
            "wont" => MoSCoW.Wont,
            _ => null,
        };
        if (moscowText is not null && moscow is null) throw Fail($"MoSCoW '{moscowText}' is not must, should, could or wont");
        var dependencies = new List<Dependency>();
        if (e.TryGetProperty("dependsOn", out var deps) && deps.ValueKind == JsonValueKind.Array)
        {
            foreach (var d in deps.EnumerateArray())
            {
                var key = d.ValueKind == JsonValueKind.String ? d.GetString()! : d.ToString();
                if (workspace.FindInitiative(key) is null) throw Fail($"depends on '{key}', which does not exist");
                if (dependencies.All(x => x.PredecessorKey != key)) dependencies.Add(new Dependency(key));
            }
        }
        return new Initiative
        {
            Key = "draft",
            Title = title,
            Description = description,
            DurationWeeks = (int)w,
            Demand = [new TeamDemand(team.Key, (int)p)],
            Dependencies = dependencies,
            Reach = reach,
            Impact = impact,
            Confidence = confidence,
            MoSCoW = moscow,
        };
    }

    /// <summary>The outermost JSON object in a reply (remote models sometimes wrap it in prose or a code fence).</summary>
    private static string ExtractObject(string reply)
    {
        var start = reply.IndexOf('{');
        var end = reply.LastIndexOf('}');
        return start >= 0 && end > start ? reply[start..(end + 1)] : reply;
    }

    private static string Description(JsonElement e) => Text(e, "description")?.Trim() ?? "";

    /// <summary>Characters as the grammar counts them: Unicode code points, not UTF-16 units.</summary>
    private static int Characters(string text) => text.EnumerateRunes().Count();

    private static string Normalize(string title) => string.Join(' ', title.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch { JsonValueKind.String => v.GetString(), JsonValueKind.Null => null, _ => v.ToString() } : null;

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetDouble(),
            JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        } : null;

    /// <summary>Why a reply is not JSON, in the generation's own numbers when they are known.</summary>
    private static string NotJson(string error, DraftOptions options, GenerationReport? generation) => generation switch
    {
        null => $"The model's reply is not valid JSON ({error}); it may have been cut off by the output limit of {options.MaxOutputTokens} tokens. Nothing was drafted.",
        { End: GenerationEnd.TokenLimit, LimitedByContext: true } g => $"{g.CutOffSummary()}: the reply stopped before its JSON was complete ({error}). " +
            $"Nothing was drafted. This model's context ({g.ContextSize} tokens) cannot hold the drafting instructions and a reply: choose a model with a larger context on the Models page.",
        { End: GenerationEnd.TokenLimit } g => $"{g.CutOffSummary()}: the reply stopped before its JSON was complete ({error}). " +
            "Nothing was drafted. Raise the output limit or ask for fewer initiatives.",
        { } g => $"The model's reply is not valid JSON ({error}), though it ended by itself after {g.TokensGenerated} tokens ({g.Characters} characters). Nothing was drafted.",
    };
}
