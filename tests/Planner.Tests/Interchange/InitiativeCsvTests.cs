using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Tests.Interchange;

public class InitiativeCsvTests
{
    [Fact]
    public void Export_then_import_changes_nothing()
    {
        var sample = Samples.Sample();
        var csv = InitiativeCsv.Write(sample);
        var result = InitiativeCsv.Read(Samples.Utf8(csv), sample);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal(RoadmapJson.Serialize(sample), RoadmapJson.Serialize(result.Workspace!));
        Assert.Equal(csv, InitiativeCsv.Write(result.Workspace!));
    }

    [Fact]
    public void Tags_travel_as_a_semicolon_list_and_a_labels_column_is_read_as_tags()
    {
        var w = Samples.Small();
        w.Initiatives[0].Tags = ["mobile", "Compliance"];
        var csv = InitiativeCsv.Write(w);
        Assert.Contains(",tags\n", csv);
        Assert.Contains(",mobile;Compliance\n", csv);
        Assert.Equal(["mobile", "Compliance"], InitiativeCsv.Read(Samples.Utf8(csv), Samples.Small()).Workspace!.Initiatives[0].Tags);

        var labelled = InitiativeCsv.Read(Samples.Utf8("id,title,Labels\ni2,Billing UI, web ; Web ;growth\n"), Samples.Small());
        Assert.True(labelled.Ok, string.Join("\n", labelled.Problems));
        Assert.Equal(["web", "growth"], labelled.Workspace!.FindInitiative("i2")!.Tags);
    }

    [Fact]
    public void Issue_tracker_style_columns_are_understood()
    {
        var csv = """
            Issue key,Summary,Description,Estimate,Team,People,Depends on,Sprint
            PROJ-1,Billing v2,"New invoices, taxes",6w,Backend,2,,S1
            PROJ-2,Billing UI,,3,fe,,PROJ-1:1,S2
            ,Launch,,0,,,Billing UI,S3
            """;
        var result = InitiativeCsv.Read(Samples.Utf8(csv), Samples.Small());
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var w = result.Workspace!;
        Assert.Equal(6, w.Initiatives.Count);
        var billing = w.FindInitiative("PROJ-1")!;
        Assert.Equal((6, "New invoices, taxes"), (billing.DurationWeeks!.Value, billing.Description));
        Assert.Equal(new TeamDemand("be", 2), billing.Demand.Single());
        Assert.Equal(new Dependency("PROJ-1", 1), w.FindInitiative("PROJ-2")!.Dependencies.Single());
        var launch = w.Initiatives.Single(i => i.Title == "Launch");
        Assert.Equal("i4", launch.Key);
        Assert.True(launch.IsMilestone);
        Assert.Equal("PROJ-2", launch.Dependencies.Single().PredecessorKey);
    }

    [Fact]
    public void A_row_with_an_existing_id_updates_that_initiative()
    {
        var csv = "id,title,durationWeeks\ni2,Renamed,9\n";
        var result = InitiativeCsv.Read(Samples.Utf8(csv), Samples.Small());
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var i2 = result.Workspace!.FindInitiative("i2")!;
        Assert.Equal(("Renamed", 9), (i2.Title, i2.DurationWeeks!.Value));
        Assert.Equal(new TeamDemand("fe", 1), i2.Demand.Single()); // columns not in the file are kept
        Assert.Equal(3, result.Workspace.Initiatives.Count);
    }

    [Fact]
    public void A_missing_title_column_is_named_and_unrecognised_columns_are_listed()
    {
        var result = InitiativeCsv.Read(Samples.Utf8("id,description,Titel\ni9,x,y\n"), Samples.Small());
        Assert.False(result.Ok);
        var text = string.Join("\n", result.Problems);
        Assert.Contains("Missing column 'title'", text);
        Assert.Contains("Columns not recognised: 'Titel'.", text);
    }

    [Fact]
    public void A_file_without_an_estimate_column_imports_its_rows_as_unestimated()
    {
        var result = InitiativeCsv.Read(Samples.Utf8("id,title\ni9,New thing\n"), Samples.Small());
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.True(result.Workspace!.FindInitiative("i9")!.IsUnestimated);
    }

    [Fact]
    public void Every_bad_cell_is_reported_with_row_and_column_and_nothing_is_imported()
    {
        var csv = """
            id,title,estimate,team,depends on,confidence
            n1,Good,3,be,,0.5
            n2,Bad number,three,be,,
            n3,Bad dep,2,be,i99,
            n4,Bad team,2,ops,,
            n5,Bad date,2,be,,
            """;
        csv = csv.Replace("n5,Bad date,2,be,,", "n5,Bad confidence,2,be,,lots");
        var small = Samples.Small();
        var before = RoadmapJson.Serialize(small);
        var result = InitiativeCsv.Read(Samples.Utf8(csv), small);
        Assert.False(result.Ok);
        Assert.Null(result.Workspace);
        var problems = result.Problems.Select(p => (p.Row, p.Column)).ToList();
        Assert.Contains((3, "durationWeeks"), problems);
        Assert.Contains((4, "dependsOn"), problems);
        Assert.Contains((5, "team"), problems);
        Assert.Contains((6, "confidence"), problems);
        Assert.Equal(4, problems.Count);
        Assert.Contains("'three' is not a whole number of weeks", result.Problems[0].Message);
        Assert.Equal(before, RoadmapJson.Serialize(small)); // the target is untouched
    }

    [Fact]
    public void Domain_problems_point_at_the_row()
    {
        var csv = "id,title,estimate,depends on\na,A,1,b\nb,B,1,a\n";
        var result = InitiativeCsv.Read(Samples.Utf8(csv), Samples.Small());
        var problem = Assert.Single(result.Problems);
        Assert.Equal(2, problem.Row);
        Assert.Contains("Dependency cycle", problem.Message);
    }

    [Theory]
    [InlineData("", "The file is empty.")]
    [InlineData("id,title,estimate\n", "header but no rows")]
    [InlineData("id,title,estimate\ni9,\"unclosed,3\n", "Malformed CSV")]
    public void Empty_and_malformed_files_are_refused(string csv, string expected)
    {
        var result = InitiativeCsv.Read(Samples.Utf8(csv), Samples.Small());
        Assert.Contains(result.Problems, p => p.Message.Contains(expected));
    }

    [Fact]
    public void Non_utf8_bytes_are_refused()
    {
        var bytes = new byte[] { (byte)'t', (byte)'i', (byte)'t', (byte)'l', (byte)'e', 10, 0xC3, 0x28, 10 };
        var problem = Assert.Single(InitiativeCsv.Read(bytes, Samples.Small()).Problems);
        Assert.Contains("not UTF-8", problem.Message);
    }

    [Fact]
    public void Formula_like_titles_are_escaped_for_spreadsheets_and_restored_on_import()
    {
        var w = Samples.Small();
        w.Initiatives[0].Title = "=HYPERLINK(\"http://evil\")";
        w.Initiatives[1].Title = "+1 more";
        var csv = InitiativeCsv.Write(w);
        Assert.Contains("'=HYPERLINK", csv);
        Assert.Contains("'+1 more", csv);
        var back = InitiativeCsv.Read(Samples.Utf8(csv), w);
        Assert.True(back.Ok, string.Join("\n", back.Problems));
        Assert.Equal("=HYPERLINK(\"http://evil\")", back.Workspace!.FindInitiative("i1")!.Title);
        Assert.Equal("+1 more", back.Workspace.FindInitiative("i2")!.Title);
    }

    [Fact]
    public void Markdown_export_lists_every_initiative_and_escapes_table_breakers()
    {
        var w = Samples.Small();
        w.Initiatives[0].Title = "Pipes | and <script>";
        var md = RoadmapMarkdown.Write(w);
        Assert.Contains("| i1 | Pipes \\| and \\<script\\> |", md);
        Assert.Contains("| i3 |", md);
        Assert.Equal(md, RoadmapMarkdown.Write(w));
    }
}
