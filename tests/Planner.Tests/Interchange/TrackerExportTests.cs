using Planner.Interchange;
using Planner.Roadmaps;

namespace Planner.Tests.Interchange;

/// <summary>The four trackers' exports (samples in tests/TrackerExports) mapped onto the sample workspace.</summary>
public class TrackerExportTests
{
    internal static byte[] Export(string name) => File.ReadAllBytes(RepositoryRoot.File("tests", "TrackerExports", name));

    internal static ImportPreview Preview(string name, ImportOptions? options = null, Workspace? target = null) =>
        InitiativeCsv.Preview(Export(name), target ?? Samples.Sample(), options);

    internal static Workspace Imported(string name, ImportOptions? options = null)
    {
        var preview = Preview(name, options);
        Assert.True(preview.Ok, string.Join("\n", preview.Result.Problems));
        return preview.Result.Workspace!;
    }

    [Theory]
    [InlineData("jira.csv", TrackerFormat.Jira)]
    [InlineData("linear.csv", TrackerFormat.Linear)]
    [InlineData("github-projects.csv", TrackerFormat.GitHubProjects)]
    [InlineData("productboard.csv", TrackerFormat.Productboard)]
    public void Each_trackers_export_is_recognised_from_its_header(string file, TrackerFormat format)
    {
        var preview = Preview(file);

        Assert.True(preview.Ok, string.Join("\n", preview.Result.Problems));
        Assert.Equal(format, preview.Format);
        Assert.All(preview.Result.Workspace!.Initiatives.Where(i => preview.Created.Contains(i.Key)),
            i => Assert.Equal(TrackerFormats.Name(format), i.Source));
    }

    [Fact]
    public void Jira_rolls_stories_into_their_epic_by_issue_id_and_turns_blocks_links_into_dependencies()
    {
        var preview = Preview("jira.csv");
        var w = preview.Result.Workspace!;

        Assert.Equal(["LL-101", "LL-104", "LL-105", "LL-106"], preview.Created);
        var epic = w.FindInitiative("LL-101")!;
        Assert.Equal("Bank feeds for Nordic banks", epic.Title);
        Assert.Equal(3, epic.DurationWeeks);                     // (5 + 8) points × 0.2 = 2.6 weeks, rounded up
        Assert.Equal(InitiativeStatus.InProgress, epic.Status);
        Assert.Equal(new DateOnly(2027, 3, 15), epic.Deadline);  // "15/Mar/27"
        Assert.Equal("be", Assert.Single(epic.Demand).TeamKey);  // Component/s "Backend"
        Assert.Contains("Rolled up from 2 stories: LL-102, LL-103.", epic.Description);
        Assert.Null(w.FindInitiative("LL-102"));

        Assert.Equal("LL-101", Assert.Single(w.FindInitiative("LL-104")!.Dependencies).PredecessorKey); // blocked by LL-103, in LL-101
        Assert.Equal("LL-104", Assert.Single(w.FindInitiative("LL-105")!.Dependencies).PredecessorKey); // LL-104 blocks LL-105
        Assert.Equal(InitiativeStatus.Planned, w.FindInitiative("LL-106")!.Status);                     // "Selected for Development"
    }

    [Fact]
    public void A_story_point_value_of_a_question_mark_imports_as_unestimated_and_says_so()
    {
        var preview = Preview("jira.csv");

        Assert.True(preview.Result.Workspace!.FindInitiative("LL-105")!.IsUnestimated);
        Assert.Contains("LL-105: '?' is not an estimate; imported as unestimated", preview.Dropped);
    }

    [Fact]
    public void A_story_point_value_of_one_half_is_half_a_point_and_at_least_a_week()
    {
        Assert.Equal(1, Imported("jira.csv").FindInitiative("LL-106")!.DurationWeeks); // 0.5 × 0.2 = 0.1 weeks
        Assert.Equal(0.5, TrackerEstimate.Parse("1/2", out _));
        Assert.Equal(0.5, TrackerEstimate.Parse("½", out _));
        Assert.Equal(2.5, TrackerEstimate.Parse("2,5", out _));
        Assert.Null(TrackerEstimate.Parse("1/0", out _));
    }

    [Fact]
    public void A_link_to_an_issue_not_in_the_file_is_kept_as_a_note_not_a_dependency()
    {
        var preview = Preview("jira.csv");
        var item = preview.Result.Workspace!.FindInitiative("LL-106")!;

        Assert.Empty(item.Dependencies);
        Assert.Contains("Tracker links to issues not in the import: blocked by LL-099.", item.Description);
        Assert.Contains(preview.Dropped, d => d.StartsWith("Link to LL-099, which is not in this file or the roadmap", StringComparison.Ordinal));
    }

    [Fact]
    public void The_preview_says_which_column_becomes_which_field_and_why_the_others_are_dropped()
    {
        var columns = Preview("jira.csv").Columns.ToDictionary(c => c.Header);

        Assert.Equal("id", columns["Issue key"].Field);
        Assert.Equal("number", columns["Issue id"].Field);
        Assert.Null(columns["Sprint"].Field);
        Assert.Contains("Planner schedules the work itself", columns["Sprint"].Note);
        Assert.Null(columns["Outward issue link (Relates)"].Field);
        Assert.Equal("blockedBy", columns["Inward issue link (Blocks)"].Field);
        Assert.Contains("points × 0.2 = weeks", columns["Custom field (Story Points)"].Note);
        Assert.Contains("2 columns", columns["Watchers"].Note);
    }

    [Fact]
    public void Linear_rolls_sub_issues_into_their_parent_and_maps_its_team_column()
    {
        var w = Imported("linear.csv");

        var parent = w.FindInitiative("ENG-210")!;
        Assert.Equal(3, parent.DurationWeeks);              // its own 8 + its sub-issue's 3 points = 2.2 weeks
        Assert.Equal("be", Assert.Single(parent.Demand).TeamKey);
        Assert.Equal(new DateOnly(2027, 2, 26), parent.Deadline);
        Assert.Null(w.FindInitiative("ENG-211"));
        Assert.Equal("ENG-210", Assert.Single(w.FindInitiative("ENG-212")!.Dependencies).PredecessorKey); // blocked by
        Assert.Equal("ENG-210", Assert.Single(w.FindInitiative("ENG-214")!.Dependencies).PredecessorKey); // ENG-210 blocks it
        Assert.True(w.FindInitiative("ENG-214")!.IsUnestimated);
        Assert.Contains("blocked by ENG-190", w.FindInitiative("ENG-214")!.Description);
        Assert.Equal(InitiativeStatus.Done, w.FindInitiative("ENG-215")!.Status);
        Assert.Equal("design", Assert.Single(w.FindInitiative("ENG-215")!.Demand).TeamKey);
    }

    [Fact]
    public void GitHub_projects_items_are_keyed_by_repository_and_number_and_labels_naming_teams_become_demand()
    {
        var preview = Preview("github-projects.csv");
        var w = preview.Result.Workspace!;

        var parent = w.FindInitiative("app#412")!;
        Assert.Equal(2, parent.DurationWeeks);              // 5 + 3 points = 1.6 weeks
        Assert.Equal(["mob", "be"], parent.Demand.Select(d => d.TeamKey));
        Assert.Equal(new DateOnly(2027, 1, 11), parent.EarliestStart);
        Assert.Equal(["data"], w.FindInitiative("app#420")!.Demand.Select(d => d.TeamKey));
        Assert.Contains(preview.Dropped, d => d.StartsWith("'receipts' is not a team", StringComparison.Ordinal));
        var draft = Assert.Single(w.Initiatives, i => i.Key.StartsWith("draft-", StringComparison.Ordinal));
        Assert.Equal("Draft: offline mode for receipts", draft.Title);
    }

    [Fact]
    public void Productboard_subfeatures_roll_into_their_feature_and_wont_do_is_dropped()
    {
        var w = Imported("productboard.csv");

        var portal = w.FindInitiative("pb-7001")!;
        Assert.Equal(3, portal.DurationWeeks);               // 5 + 8 = 2.6 weeks
        Assert.Equal(["fe", "be"], portal.Demand.Select(d => d.TeamKey));
        Assert.Equal(InitiativeStatus.Planned, portal.Status);
        Assert.Equal(new DateOnly(2027, 6, 25), portal.Deadline);
        Assert.Equal(InitiativeStatus.Dropped, w.FindInitiative("pb-7011")!.Status);
        Assert.Equal(["be", "data"], w.FindInitiative("pb-7010")!.Demand.Select(d => d.TeamKey));
    }

    [Fact]
    public void The_founder_changes_factor_status_map_and_teams_through_the_mapping()
    {
        var mapping = new ImportMapping
        {
            Format = "jira",
            WeeksPerUnit = 1,
            Statuses = new() { ["Backlog"] = "idea" },
            Teams = new() { ["compliance"] = "data" },
            Columns = new() { ["Labels"] = "team", ["Component/s"] = "" },
        };
        var w = Imported("jira.csv", new ImportOptions(ImportMapping.FromJson(mapping.ToJson(), out var problem)));

        Assert.Null(problem);
        Assert.Equal(13, w.FindInitiative("LL-101")!.DurationWeeks);
        Assert.Equal(InitiativeStatus.Idea, w.FindInitiative("LL-105")!.Status);
        Assert.Equal("data", Assert.Single(w.FindInitiative("LL-106")!.Demand).TeamKey);
    }

    [Fact]
    public void A_bad_mapping_file_is_refused_with_the_reason()
    {
        Assert.Null(ImportMapping.FromJson("{\"format\": \"trello\"}", out var format));
        Assert.StartsWith("Unknown format 'trello'", format);
        Assert.Null(ImportMapping.FromJson("{\"format\": \"jira\", \"columns\": {\"Summary\": \"headline\"}}", out var field));
        Assert.StartsWith("Unknown field 'headline'", field);
        Assert.Null(ImportMapping.FromJson("{\"format\": \"jira\", \"weeksPerUnit\": -1}", out var factor));
        Assert.StartsWith("weeksPerUnit must be", factor);
        Assert.Null(ImportMapping.FromJson("{", out var json));
        Assert.StartsWith("The mapping file is not valid JSON", json);
    }

    [Fact]
    public void Unestimated_initiatives_are_scheduled_at_the_workspace_default_and_the_schedule_says_so()
    {
        var w = Imported("jira.csv");
        w.DefaultEstimateWeeks = 4;

        var schedule = Planner.Scheduling.ListScheduler.Schedule(w);

        var item = schedule.Find("LL-105")!;
        Assert.Equal(4, item.FinishWeek - item.StartWeek);
        Assert.Contains(schedule.Problems, p => p.Message.StartsWith("1 initiative has no estimate (LL-105); each is scheduled at the workspace's default of 4 weeks.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("01/Dec/26 9:14 AM", "2026-12-01")]
    [InlineData("15/Mar/27", "2027-03-15")]
    [InlineData("2027-02-26", "2027-02-26")]
    [InlineData("2026-11-24T09:00:00.000Z", "2026-11-24")]
    [InlineData("Dec 1, 2026", "2026-12-01")]
    public void Tracker_dates_are_read_in_the_forms_the_trackers_write(string text, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TrackerValues.Date(text));
    }

    [Fact]
    public void A_date_planner_cannot_read_is_left_out_and_listed()
    {
        var csv = System.Text.Encoding.UTF8.GetBytes("Summary,Issue key,Issue id,Issue Type,Due date\nAlpha,K-1,1,Story,next Tuesday\n");

        var preview = InitiativeCsv.Preview(csv, Samples.Small(), null);

        Assert.True(preview.Ok, string.Join("\n", preview.Result.Problems));
        Assert.Null(preview.Result.Workspace!.FindInitiative("K-1")!.Deadline);
        Assert.Contains("K-1: the deadline 'next Tuesday' is not a date Planner reads; left out", preview.Dropped);
    }
}
