using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Tests.Interchange;

public class RoadmapJsonTests
{
    [Fact]
    public void Export_import_export_is_byte_identical_for_the_sample()
    {
        var first = RoadmapJson.Serialize(Samples.Sample());
        var again = RoadmapJson.Read(Samples.Utf8(first));
        Assert.True(again.Ok, string.Join("\n", again.Problems));
        Assert.Equal(first, RoadmapJson.Serialize(again.Workspace!));
    }

    [Fact]
    public void Every_field_survives_a_round_trip()
    {
        var w = Samples.Small();
        w.CompanyName = "Acme Ltd";
        w.Vision = "Ship \"calm\" software <fast> & well";
        w.Stage = CompanyStage.SeriesA;
        w.RunwayMonths = 14;
        w.Teams[0].CapacityChanges = [new CapacityChange(new DateOnly(2027, 4, 5), 6)];
        var i = w.Initiatives[2];
        i.Description = "Multi-line\ndescription with ünïcödé";
        i.Status = InitiativeStatus.InProgress;
        i.DurationWeeks = null;
        i.EffortPersonWeeks = 7.5;
        i.Dependencies = [new Dependency("i1"), new Dependency("i2", 3)];
        i.EarliestStart = new DateOnly(2027, 2, 1);
        i.Deadline = new DateOnly(2027, 6, 30);
        i.DeadlineIsHard = true;
        i.LockedStart = new DateOnly(2027, 3, 1);
        (i.Reach, i.Impact, i.Confidence, i.Effort) = (600, 2, 0.7, 20);
        (i.BusinessValue, i.TimeCriticality, i.RiskReduction) = (8, 5, 3);
        i.MoSCoW = MoSCoW.Wont;
        i.ObjectiveKeys = ["o1"];
        i.Tags = ["mobile", "Compliance"];
        w.Initiatives[0].Evidence = new Evidence("reviews", 4, 0.1, ["slow"]) { Confirmed = 2, Linked = 1, Rejected = 3 };

        var json = RoadmapJson.Serialize(w);
        var back = RoadmapJson.Read(Samples.Utf8(json));
        Assert.True(back.Ok, string.Join("\n", back.Problems));
        Assert.Equal(json, RoadmapJson.Serialize(back.Workspace!));
        var r = back.Workspace!.FindInitiative("i3")!;
        Assert.Equal(7.5, r.EffortPersonWeeks);
        Assert.Equal(new Dependency("i2", 3), r.Dependencies[1]);
        Assert.True(r.DeadlineIsHard);
        Assert.Equal(MoSCoW.Wont, r.MoSCoW);
        Assert.Equal(["mobile", "Compliance"], r.Tags);
        Assert.Equal((2, 1, 3), (back.Workspace.Initiatives[0].Evidence!.Confirmed, back.Workspace.Initiatives[0].Evidence!.Linked, back.Workspace.Initiatives[0].Evidence!.Rejected));
        Assert.Contains("\"confirmed\": 2,\n        \"linked\": 1,\n        \"rejected\": 3", json);
        Assert.Contains("{\n          \"id\": \"i2\",\n          \"lagWeeks\": 3\n        }", json);
        Assert.Contains("\"dependsOn\": [\n        \"i1\",", json);
    }

    [Fact]
    public void The_minimum_shape_from_the_format_doc_imports()
    {
        var json = """
            {"name": "Mini", "start": "2027-01-04", "teams": [{"id": "be", "name": "Backend", "capacity": 4}],
             "initiatives": [{"id": "i0", "title": "Kick-off", "durationWeeks": 0},
                             {"id": "i1", "title": "API", "durationWeeks": 6, "demand": {"be": 2}, "dependsOn": ["i0"]}]}
            """;
        var result = RoadmapJson.Read(Samples.Utf8(json));
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.True(result.Workspace!.FindInitiative("i0")!.IsMilestone);
        Assert.Equal("i0", result.Workspace.FindInitiative("i1")!.Dependencies.Single().PredecessorKey);
    }

    [Theory]
    [InlineData("{\"name\": \"x\",", "Not valid roadmap JSON")]
    [InlineData("[1, 2]", "Not valid roadmap JSON")]
    [InlineData("{\"name\": \"x\", \"start\": \"2027-13-45\"}", "$.start")]
    [InlineData("{\"name\": \"x\", \"name\": \"y\", \"start\": \"2027-01-04\"}", "Duplicate")]
    [InlineData("{\"start\": \"2027-01-04\"}", "needs a \"name\"")]
    [InlineData("{\"name\": \"x\"}", "needs a \"start\"")]
    [InlineData("{\"name\": \"x\", \"start\": \"2027-01-04\", \"stage\": \"unicorn\"}", "Unknown stage 'unicorn'")]
    [InlineData("{\"formatVersion\": 9, \"name\": \"x\", \"start\": \"2027-01-04\"}", "format version 9")]
    [InlineData("   ", "The file is empty.")]
    [InlineData("", "The file is empty.")]
    [InlineData("null", "JSON null")]
    public void Malformed_files_are_refused_with_a_clear_message(string json, string expected)
    {
        var result = RoadmapJson.Read(Samples.Utf8(json));
        Assert.False(result.Ok);
        Assert.Null(result.Workspace);
        Assert.Contains(result.Problems, p => p.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_without_a_name_or_a_start_is_told_each_once_in_the_files_words()
    {
        var result = RoadmapJson.Read(Samples.Utf8("{\"formatVersion\": 1}"));
        Assert.False(result.Ok);
        Assert.Equal([
            "The roadmap needs a \"name\" (the workspace it belongs to).",
            "The roadmap needs a \"start\" date (yyyy-mm-dd), the first day of week 0.",
        ], result.Problems.Select(p => p.Message));
    }

    [Fact]
    public void A_cycle_an_unknown_team_a_negative_duration_and_a_duplicate_id_are_all_listed()
    {
        var json = """
            {"name": "Bad", "start": "2027-01-04", "teams": [{"id": "be", "name": "Backend", "capacity": 4}],
             "initiatives": [
               {"id": "a", "title": "A", "durationWeeks": 2, "dependsOn": ["b"]},
               {"id": "b", "title": "B", "durationWeeks": 2, "dependsOn": ["a"]},
               {"id": "c", "title": "C", "durationWeeks": -3, "demand": {"ops": 1}},
               {"id": "c", "title": "C again", "durationWeeks": 1}]}
            """;
        var result = RoadmapJson.Read(Samples.Utf8(json));
        Assert.False(result.Ok);
        var text = string.Join("\n", result.Problems);
        Assert.Contains("Dependency cycle: a -> b -> a", text);
        Assert.Contains("Unknown team 'ops'", text);
        Assert.Contains("Duration cannot be negative (got -3)", text);
        Assert.Contains("'c' is used 2 times", text);
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_parsing()
    {
        var big = new byte[50 * 1024 * 1024];
        Array.Fill(big, (byte)' ');
        var result = RoadmapJson.Read(big);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("The file is 50 MB; roadmap files are limited to 10 MB.", problem.Message);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(Samples.SampleJson).ToArray();
        Assert.True(RoadmapJson.Read(bytes).Ok);
    }

    [Fact]
    public void Key_results_read_as_text_or_as_numbers_and_write_back_as_they_came()
    {
        var json = """
            {"formatVersion": 1, "name": "Acme", "start": "2027-01-04",
             "teams": [{"id": "be", "name": "Backend", "capacity": 2}],
             "objectives": [{"id": "o1", "title": "Grow", "keyResults": [
                "Be loved",
                {"text": "ARR", "unit": "$k", "start": 400, "current": 600, "target": 1200}]}],
             "initiatives": []}
            """;
        var read = RoadmapJson.Read(Samples.Utf8(json));
        Assert.True(read.Ok, string.Join("\n", read.Problems));
        Assert.Equal([new KeyResult("Be loved"), new KeyResult("ARR", "$k", 400, 600, 1200)], read.Workspace!.Objectives[0].KeyResults);

        var written = RoadmapJson.Serialize(read.Workspace);
        Assert.Contains("\"Be loved\"", written, StringComparison.Ordinal);
        Assert.Contains("\"current\": 600", written, StringComparison.Ordinal);
        Assert.Equal(read.Workspace.Objectives[0].KeyResults, RoadmapJson.Read(Samples.Utf8(written)).Workspace!.Objectives[0].KeyResults);
    }

    [Theory]
    [InlineData("{\"unit\": \"%\"}", "needs a \"text\"")]
    [InlineData("{\"text\": \"ARR\", \"start\": \"ten\"}", "wrong type")]
    [InlineData("42", "A key result is text or an object")]
    public void A_malformed_key_result_is_refused_with_a_reason(string keyResult, string reason)
    {
        var json = $$"""
            {"formatVersion": 1, "name": "Acme", "start": "2027-01-04", "teams": [],
             "objectives": [{"id": "o1", "title": "Grow", "keyResults": [{{keyResult}}]}], "initiatives": []}
            """;
        var read = RoadmapJson.Read(Samples.Utf8(json));
        Assert.False(read.Ok);
        Assert.Contains(reason, read.Problems.Single().Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tags_in_a_file_are_trimmed_and_kept_once_ignoring_case_and_too_many_are_refused()
    {
        var w = Samples.Small();
        w.Initiatives[0].Tags = ["  Mobile ", "mobile", "growth  loop", ""];
        var read = RoadmapJson.Read(Samples.Utf8(RoadmapJson.Serialize(w)));
        Assert.True(read.Ok, string.Join("\n", read.Problems));
        Assert.Equal(["Mobile", "growth loop"], read.Workspace!.Initiatives[0].Tags);

        w.Initiatives[0].Tags = [.. Enumerable.Range(1, 21).Select(n => $"t{n}")];
        w.Initiatives[1].Tags = [new string('x', 41), "a;b"];
        var refused = RoadmapJson.Read(Samples.Utf8(RoadmapJson.Serialize(w)));
        Assert.False(refused.Ok);
        var text = string.Join("\n", refused.Problems);
        Assert.Contains("at most 20 tags (got 21)", text);
        Assert.Contains("longer than 40 characters (41)", text);
        Assert.Contains("The tag 'a;b' contains ';' or ','", text);
    }
}
