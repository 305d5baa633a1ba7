using System.Globalization;
using System.Text;
using Planner.Roadmaps;

namespace Planner.Assistant.Drafting;

/// <summary>The GBNF grammar a local model drafts under, generated from the initiatives schema and the workspace:
/// team keys and dependency ids are enumerations of what exists, every string and list has an upper bound, numbers
/// have JSON's shape. The output is therefore always a JSON object of the right shape — but a grammar cannot enforce
/// every rule (e.g. people within a team's capacity), so <see cref="DraftParser"/> still validates each item.</summary>
public static class DraftGrammar
{
    public static readonly string[] Impacts = ["0.25", "0.5", "1", "2", "3"];
    public static readonly string[] Confidences = ["0.5", "0.8", "1"];
    public static readonly string[] MoSCoWs = ["must", "should", "could", "wont"];

    /// <summary>The characters allowed inside strings: printable ASCII but the quote and backslash (so no escapes are
    /// needed), Latin letters with accents, and typographic dashes, quotes, ellipsis and the euro sign. A positive class,
    /// not "anything but…": with a negated class llama.cpp lets broken UTF-8 byte sequences through.</summary>
    public const string TextChar = "[ !#-\\[\\]-~\\u00A0-\\u024F\\u2013\\u2014\\u2018\\u2019\\u201C\\u201D\\u2026\\u20AC]";

    public static string For(Workspace workspace, DraftOptions options)
    {
        if (workspace.Teams.Count == 0) throw new ArgumentException("A workspace needs at least one team to draft for.", nameof(workspace));
        var g = new StringBuilder();
        g.Append("root ::= \"{\\\"initiatives\\\": [\" item ");
        if (options.MaxItems > 1) g.Append("(\", \" item){0,").Append(options.MaxItems - 1).Append("} ");
        g.Append("\"]}\"\n");
        g.Append("item ::= \"{\\\"title\\\": \\\"\" title \"\\\", \\\"description\\\": \\\"\" description \"\\\", \\\"team\\\": \" staffing ")
         .Append("\", \\\"weeks\\\": \" weeks \", \\\"reach\\\": \" reach \", \\\"impact\\\": \" impact ")
         .Append("\", \\\"confidence\\\": \" confidence \", \\\"moscow\\\": \" moscow \", \\\"dependsOn\\\": [\" ")
         .Append(workspace.Initiatives.Count > 0 ? "deps? " : "").Append("\"]}\"\n");
        g.Append("title ::= [A-Za-z0-9] char{0,").Append(options.MaxTitleChars - 1).Append("}\n");
        g.Append("description ::= ").Append(options.MaxDescriptionChars > 0 ? $"char{{0,{options.MaxDescriptionChars}}}" : "\"\"").Append('\n');
        g.Append("char ::= ").Append(TextChar).Append('\n');
        // A team and how many of its people: never more than the team ever has (at most 9 per item).
        g.Append("staffing ::= ").Append(Choice(workspace.Teams.Where(t => t.PeakCapacity > 0)
            .Select(t => $"{Quoted(t.Key)} \", \\\"people\\\": \" {UpTo(Math.Min(9, t.PeakCapacity))}"))).Append('\n');
        g.Append("weeks ::= ").Append(UpTo(Math.Min(99, options.MaxWeeks))).Append('\n');
        g.Append("reach ::= \"0\" | [1-9] [0-9]{0,4}\n");
        g.Append("impact ::= ").Append(Choice(Impacts.Select(Literal))).Append('\n');
        g.Append("confidence ::= ").Append(Choice(Confidences.Select(Literal))).Append('\n');
        g.Append("moscow ::= ").Append(Choice(MoSCoWs.Select(Quoted))).Append('\n');
        if (workspace.Initiatives.Count > 0)
        {
            g.Append("deps ::= dep (\", \" dep){0,2}\n");
            g.Append("dep ::= ").Append(Choice(workspace.Initiatives.Select(i => Quoted(i.Key)))).Append('\n');
        }
        return g.ToString();
    }

    /// <summary>A rule for the whole numbers 1..<paramref name="max"/> (max ≤ 99) without leading zeros.</summary>
    internal static string UpTo(int max)
    {
        if (max is < 1 or > 99) throw new ArgumentOutOfRangeException(nameof(max));
        var parts = new List<string> { $"[1-{Math.Min(9, max)}]" };
        var tens = max / 10;
        if (tens >= 2) parts.Add(tens == 2 ? "\"1\" [0-9]" : $"[1-{tens - 1}] [0-9]");
        if (tens >= 1) parts.Add($"\"{tens}\" [0-{max % 10}]");
        return "(" + string.Join(" | ", parts) + ")";
    }

    private static string Choice(IEnumerable<string> alternatives) => string.Join(" | ", alternatives);

    /// <summary>A GBNF literal producing <paramref name="text"/> as a JSON string (quotes included).</summary>
    private static string Quoted(string text) => Literal("\"" + JsonEscape(text) + "\"");

    /// <summary>A GBNF literal producing exactly <paramref name="text"/>.</summary>
    private static string Literal(string text)
    {
        var s = new StringBuilder("\"");
        foreach (var c in text)
        {
            if (c is '"' or '\\') s.Append('\\').Append(c);
            else if (c < 0x20) s.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else s.Append(c);
        }
        return s.Append('"').ToString();
    }

    private static string JsonEscape(string text) => System.Text.Json.JsonSerializer.Serialize(text)[1..^1];
}
