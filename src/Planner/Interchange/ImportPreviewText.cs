using System.Globalization;
using System.Text;

namespace Planner.Interchange;

/// <summary>An import preview in words, as <c>planner import --preview</c> prints it and the import summary ends.</summary>
public static class ImportPreviewText
{
    /// <summary>"From the Jira export: 3 created, 5 updated; 1 no longer in the export (kept: PROJ-9)."</summary>
    public static string Counts(ImportPreview preview)
    {
        var text = $"From the {TrackerFormats.Title(preview.Format)} export: {preview.Created.Count:#,0} created, {preview.Updated.Count:#,0} updated";
        var kept = preview.Missing.Except(preview.Removed).ToList();
        if (preview.Removed.Count > 0) text += $"; {preview.Removed.Count:#,0} no longer in the export removed ({List(preview.Removed)})";
        if (kept.Count > 0) text += $"; {kept.Count:#,0} no longer in the export kept ({List(kept)})";
        return text + ".";
    }

    private static string List(IReadOnlyList<string> keys) => string.Join(", ", keys.Take(10)) + (keys.Count > 10 ? $" and {keys.Count - 10:#,0} more" : "");

    public static string Write(ImportPreview preview, string fileName)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{fileName}: {(preview.Format == TrackerFormat.Planner ? "Planner's initiative columns" : $"a {TrackerFormats.Title(preview.Format)} export")}.");
        if (preview.Mapping is { } mapping)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Estimates: 1 {Singular(mapping.EstimateUnit)} = {mapping.WeeksPerUnit.ToString("0.####", CultureInfo.InvariantCulture)} weeks, rounded up to whole weeks; none given: unestimated (the workspace's default).");
            text.AppendLine(mapping.RollUpIntoParents ? "Stories roll up into their parent (epic): one initiative each, estimates summed." : "Stories stay initiatives of their own.");
        }
        if (preview.Columns.Count > 0)
        {
            text.AppendLine("Columns:");
            foreach (var column in preview.Columns) text.AppendLine(CultureInfo.InvariantCulture, $"  {column}");
        }
        if (preview.Ok || preview.Created.Count + preview.Updated.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Creates {preview.Created.Count:#,0}: {List(preview.Created)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"Updates {preview.Updated.Count:#,0}: {List(preview.Updated)}");
        }
        if (preview.Missing.Count > 0)
        {
            var kept = preview.Missing.Except(preview.Removed).ToList();
            var what = kept.Count == 0 ? "removed." : "kept; --remove-missing removes them.";
            text.AppendLine(CultureInfo.InvariantCulture, $"No longer in the export {preview.Missing.Count:#,0}: {List(preview.Missing)} — {what}");
        }
        if (preview.Dropped.Count > 0)
        {
            text.AppendLine("Dropped or changed:");
            foreach (var line in preview.Dropped) text.AppendLine(CultureInfo.InvariantCulture, $"  {line}");
        }
        if (!preview.Ok)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Nothing can be imported: {preview.Result.Problems.Count} problem{(preview.Result.Problems.Count == 1 ? "" : "s")}:");
            foreach (var problem in preview.Result.Problems) text.AppendLine(CultureInfo.InvariantCulture, $"  {problem}");
        }
        return text.ToString();
    }

    private static string Singular(string unit) => unit.EndsWith('s') ? unit[..^1] : unit;
}
