using System.Globalization;
using System.Text;
using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Tests.Interchange;

/// <summary>Re-imports as a sync, and the bad input a tracker's export brings.</summary>
public class TrackerImportBadInputTests
{
    private const string Header = "Summary,Issue key,Issue id,Issue Type,Status,Custom field (Story Points),Parent,Inward issue link (Blocks),Outward issue link (Blocks)";

    private static byte[] Jira(params string[] rows) => Encoding.UTF8.GetBytes(Header + "\n" + string.Join("\n", rows) + "\n");

    [Fact]
    public void A_re_import_updates_by_key_adds_new_issues_keeps_planner_only_fields_and_lists_the_ones_gone()
    {
        var first = InitiativeCsv.Preview(Jira("Alpha,K-1,1,Story,To Do,5,,,", "Beta,K-2,2,Story,To Do,3,,K-1,", "Gamma,K-3,3,Story,To Do,2,,,"), Samples.Small(), null);
        Assert.True(first.Ok, string.Join("\n", first.Result.Problems));
        var saved = first.Result.Workspace!;
        saved.FindInitiative("K-1")!.Reach = 900;                      // a field the tracker does not own
        saved.FindInitiative("K-2")!.DurationWeeks = 7;               // re-estimated in Planner; the export has no points now

        var newer = Jira("Alpha renamed,K-1,1,Story,In Progress,5,,,", "Beta,K-2,2,Story,To Do,,,K-1,", "Delta,K-4,4,Story,To Do,1,,,");
        var second = InitiativeCsv.Preview(newer, saved, null);

        Assert.True(second.Ok, string.Join("\n", second.Result.Problems));
        Assert.Equal(["K-4"], second.Created);
        Assert.Equal(["K-1", "K-2"], second.Updated);
        Assert.Equal(["K-3"], second.Missing);
        var w = second.Result.Workspace!;
        Assert.Equal(("Alpha renamed", InitiativeStatus.InProgress, 900.0), (w.FindInitiative("K-1")!.Title, w.FindInitiative("K-1")!.Status, w.FindInitiative("K-1")!.Reach!.Value));
        Assert.Equal(7, w.FindInitiative("K-2")!.DurationWeeks);
        Assert.NotNull(w.FindInitiative("K-3"));                      // kept until the founder removes it
        Assert.Equal(7, w.Initiatives.Count);                        // i1-i3, made in Planner, are not listed as gone

        var removing = InitiativeCsv.Preview(newer, saved, new ImportOptions(Remove: ["K-3", "i1"]));
        Assert.Equal(["K-3"], removing.Removed);
        Assert.Null(removing.Result.Workspace!.FindInitiative("K-3"));
        Assert.NotNull(removing.Result.Workspace!.FindInitiative("i1")); // only what disappeared from the export can go
    }

    [Fact]
    public void A_renamed_header_says_which_columns_were_not_recognised_and_a_mapping_fixes_it()
    {
        var csv = Encoding.UTF8.GetBytes("Zusammenfassung,Issue key,Issue id,Issue Type,Status\nAlpha,K-1,1,Story,To Do\n");

        var refused = InitiativeCsv.Preview(csv, Samples.Small(), null);

        Assert.False(refused.Ok);
        var problem = Assert.Single(refused.Result.Problems);
        Assert.Contains("no column gives the initiatives' title. Columns not recognised: 'Zusammenfassung'.", problem.Message);
        Assert.Contains("Map one of them to 'title'", problem.Message);

        var mapping = new ImportMapping { Format = "jira", Columns = new() { ["Zusammenfassung"] = "title" } };
        var mapped = InitiativeCsv.Preview(csv, Samples.Small(), new ImportOptions(mapping));
        Assert.True(mapped.Ok, string.Join("\n", mapped.Result.Problems));
        Assert.Equal("Alpha", mapped.Result.Workspace!.FindInitiative("K-1")!.Title);
    }

    [Fact]
    public void A_cycle_of_blocks_links_is_refused_with_the_usual_cycle_message_naming_the_keys()
    {
        var result = InitiativeCsv.Read(Jira("Alpha,K-1,1,Story,To Do,1,,,K-2", "Beta,K-2,2,Story,To Do,1,,,K-3", "Gamma,K-3,3,Story,To Do,1,,,K-1"), Samples.Small());

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems);
        Assert.StartsWith("Dependency cycle: K-", problem.Message);
        Assert.All(["K-1", "K-2", "K-3"], k => Assert.Contains(k, problem.Message));
    }

    [Fact]
    public void A_50000_row_export_rolls_up_within_the_limits_and_one_row_more_is_refused_before_mapping()
    {
        static byte[] Export(int epics, int extra)
        {
            var text = new StringBuilder(Header).Append('\n');
            var id = 0;
            for (var e = 0; e < epics; e++)
            {
                var epic = ++id;
                text.Append(CultureInfo.InvariantCulture, $"Epic {epic},E-{epic},{epic},Epic,To Do,,,{(e == 0 ? "" : $"E-{epic - 20}")},\n");
                for (var s = 0; s < 19; s++) { id++; text.Append(CultureInfo.InvariantCulture, $"Story {id},S-{id},{id},Story,To Do,1,{epic},,\n"); }
            }
            for (var x = 0; x < extra; x++) { id++; text.Append(CultureInfo.InvariantCulture, $"Story {id},S-{id},{id},Story,To Do,1,1,,\n"); }
            return Encoding.UTF8.GetBytes(text.ToString());
        }

        var atLimit = Export(ImportLimits.MaxTrackerRows / 20, 0);
        Assert.True(atLimit.Length < ImportLimits.MaxFileBytes);
        var result = InitiativeCsv.Read(atLimit, Samples.Small());
        Assert.True(result.Ok, string.Join("\n", result.Problems.Take(3)));
        Assert.Equal(3 + 2_500, result.Workspace!.Initiatives.Count);
        Assert.Equal(4, result.Workspace.FindInitiative("E-49981")!.DurationWeeks); // 19 points × 0.2 = 3.8 weeks
        Assert.Equal("E-49961", result.Workspace.FindInitiative("E-49981")!.Dependencies.Single().PredecessorKey);

        var past = InitiativeCsv.Read(Export(ImportLimits.MaxTrackerRows / 20, 1), Samples.Small());
        Assert.False(past.Ok);
        Assert.StartsWith("The file has more than 50,000 rows", Assert.Single(past.Problems).Message);
    }

    [Theory]
    [InlineData("utf-8 with a byte order mark")]
    [InlineData("utf-16 little-endian with a byte order mark")]
    [InlineData("utf-16 big-endian with a byte order mark")]
    [InlineData("utf-16 little-endian without one")]
    public void An_export_saved_as_utf16_or_with_a_byte_order_mark_reads_like_utf8(string encoding)
    {
        var text = File.ReadAllText(RepositoryRoot.File("tests", "TrackerExports", "jira.csv"));
        var bytes = encoding switch
        {
            "utf-8 with a byte order mark" => [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)],
            "utf-16 little-endian with a byte order mark" => [.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes(text)],
            "utf-16 big-endian with a byte order mark" => [.. Encoding.BigEndianUnicode.Preamble, .. Encoding.BigEndianUnicode.GetBytes(text)],
            _ => Encoding.Unicode.GetBytes(text),
        };

        var preview = InitiativeCsv.Preview(bytes, Samples.Sample(), null);

        Assert.True(preview.Ok, string.Join("\n", preview.Result.Problems));
        Assert.Equal(TrackerFormat.Jira, preview.Format);
        Assert.Equal(RoadmapJson.Serialize(TrackerExportTests.Imported("jira.csv")), RoadmapJson.Serialize(preview.Result.Workspace!));
    }

    [Fact]
    public void A_tab_separated_export_as_github_projects_downloads_it_reads_like_the_csv()
    {
        var rows = File.ReadAllLines(RepositoryRoot.File("tests", "TrackerExports", "github-projects.csv"));
        var tsv = string.Join("\n", rows.Select(r => string.Join('\t', CsvCells(r)))) + "\n";

        var preview = InitiativeCsv.Preview(Encoding.UTF8.GetBytes(tsv), Samples.Sample(), null);

        Assert.True(preview.Ok, string.Join("\n", preview.Result.Problems));
        Assert.Equal(TrackerFormat.GitHubProjects, preview.Format);
        Assert.Equal(RoadmapJson.Serialize(TrackerExportTests.Imported("github-projects.csv")), RoadmapJson.Serialize(preview.Result.Workspace!));
    }

    /// <summary>The cells of one line of the sample (quoted cells hold commas, never quotes).</summary>
    private static IEnumerable<string> CsvCells(string line)
    {
        var cell = new StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { yield return cell.ToString(); cell.Clear(); }
            else cell.Append(c);
        }
        yield return cell.ToString();
    }
}
