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

    public static string For(Workspace workspace, DraftOptions options)
    {
        if (workspace.Teams.Count == 0) throw new ArgumentException("A workspace needs at least one team to draft for.", nameof(workspace));
        var g = new StringBuilder();
        g.Append("root ::= \"{\\\"initiatives\\\": [\" item ");
        if (options.MaxItems > 1) g.Append("(\", \" item){0,").Append(options.MaxItems - 1).Append("} ");
        g.Append("\"]}\"\n");
        g.Append("item ::= \"{\\\"title\\\": \\\"\" title \"\\\", \\\"description\\\": \\\"\" description \"\\\", \\\"team\\\": \" team ")
         .Append("\", \\\"people\\\": \" people \", \\\"weeks\\\": \" weeks \", \\\"reach\\\": \" reach \", \\\"impact\\\": \" impact ")
         .Append("\", \\\"confidence\\\": \" confidence \", \\\"moscow\\\": \" moscow \", \\\"dependsOn\\\": [\" ")
         .Append(workspace.Initiatives.Count > 0 ? "deps? " : "").Append("\"]}\"\n");
        g.Append("title ::= [A-Za-z0-9] char{0,").Append(options.MaxTitleChars - 1).Append("}\n");
        g.Append("description ::= ").Append(options.MaxDescriptionChars > 0 ? $"char{{0,{options.MaxDescriptionChars}}}" : "\"\"").Append('\n');
        g.Append("char ::= [^\"\\\\\\x00-\\x1F\\x7F]\n");
        g.Append("team ::= ").Append(Choice(workspace.Teams.Select(t => Quoted(t.Key)))).Append('\n');
        g.Append("people ::= [1-9]\n");
        g.Append("weeks ::= [1-9] [0-9]?\n");
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
