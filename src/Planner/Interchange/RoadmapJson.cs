using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Planner.Roadmaps;

namespace Planner.Interchange;

/// <summary>Reads and writes the roadmap JSON format. Output is deterministic, so export -> import -> export is byte-identical.</summary>
public static class RoadmapJson
{
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        AllowDuplicateProperties = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        IndentSize = 2,
    };

    public static string Serialize(Workspace workspace) => Serialize(RoadmapMapper.ToDocument(workspace));

    public static string Serialize(RoadmapDocument document) =>
        JsonSerializer.Serialize(document, Options).ReplaceLineEndings("\n") + "\n";

    /// <summary>Parses and validates a roadmap file; on any problem returns every problem found and no workspace.</summary>
    public static ImportResult Read(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > ImportLimits.MaxFileBytes)
            return ImportResult.Failed(ImportProblem.General(
                $"The file is {ImportLimits.Describe(utf8.Length)}; roadmap files are limited to {ImportLimits.Describe(ImportLimits.MaxFileBytes)}."));
        if (utf8.Trim(Encoding.UTF8.Preamble).Trim(" \t\r\n"u8).IsEmpty)
            return ImportResult.Failed(ImportProblem.General("The file is empty."));

        if (utf8.StartsWith([(byte)0xFF, (byte)0xFE]) || utf8.StartsWith([(byte)0xFE, (byte)0xFF]))
            return ImportResult.Failed(ImportProblem.General("The file is UTF-16 text; save it as UTF-8 and import it again."));

        RoadmapDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<RoadmapDocument>(utf8.StartsWith(Encoding.UTF8.Preamble) ? utf8[3..] : utf8, Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $"line {line + 1}, position {e.BytePositionInLine + 1}" : "";
            var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
            return ImportResult.Failed(new ImportProblem(null, null, null,
                $"Not valid roadmap JSON{path}{(where.Length > 0 ? $" ({where})" : "")}: {FirstSentence(e.Message)}"));
        }
        if (document is null)
            return ImportResult.Failed(ImportProblem.General("The file holds JSON null, not a roadmap object."));
        if (document.FormatVersion > CurrentFormatVersion)
            return ImportResult.Failed(ImportProblem.General(
                $"The file is format version {document.FormatVersion}; this Planner reads up to version {CurrentFormatVersion}."));

        if (document.Initiatives?.Count > ImportLimits.MaxInitiatives)
            return ImportResult.Failed(ImportLimits.TooMany("initiatives"));

        var (workspace, problems) = RoadmapMapper.ToWorkspace(document);
        var mapped = problems.Where(p => p.Item is null && p.Column is not null).Select(p => p.Column!).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(RoadmapValidator.Validate(workspace) // a missing name or start is said once, in the file's words
            .Where(p => p.Item is not null || p.Field is null || !mapped.Contains(p.Field))
            .Select(p => new ImportProblem(null, p.Field, p.Item, p.Message)));
        return problems.Count == 0 ? ImportResult.Succeeded(workspace) : ImportResult.Failed([.. problems]);
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "Path: ... | LineNumber: ..." which we already report in our own words.
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
