using System.Text.Json;

namespace Planner.Cli.Tests.Commands;

/// <summary>`planner import` of the four trackers' exports (tests/TrackerExports) into the seeded sample workspace.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly TempFolder work = new();
    private string Data => work.File("data");

    public void Dispose() => work.Dispose();

    private static string Export(string name) => RepositoryRoot.File("tests", "TrackerExports", name);

    private async Task<JsonElement> Initiative(string key)
    {
        var file = work.File("roadmap.json");
        var export = await CliRun.Of("export", "--format", "json", "--out", file, "--data-dir", Data);
        Assert.True(export.ExitCode == 0, export.Stderr);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        return document.RootElement.GetProperty("initiatives").EnumerateArray().Single(i => i.GetProperty("id").GetString() == key).Clone();
    }

    private async Task<int> InitiativeCount()
    {
        var file = work.File("count.json");
        Assert.Equal(0, (await CliRun.Of("export", "--format", "json", "--out", file, "--data-dir", Data)).ExitCode);
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        return document.RootElement.GetProperty("initiatives").GetArrayLength();
    }

    [Theory]
    [InlineData("jira.csv", "Jira", "'Issue key' -> id", "LL-104", "LL-101", 3, "LL-101")]
    [InlineData("linear.csv", "Linear", "'Estimate' -> estimate", "ENG-212", "ENG-210", 3, "ENG-210")]
    [InlineData("github-projects.csv", "GitHub Projects", "'URL' -> id", "app#412", null, 2, "app#412")]
    [InlineData("productboard.csv", "Productboard", "'Feature name' -> title", "pb-7001", null, 3, "pb-7001")]
    public async Task Each_trackers_export_previews_withfilesaving_then_imports_with_dependencies_and_estimates_as_mapped(
        string file, string tracker, string column, string dependent, string? predecessor, int weeks, string estimated)
    {
        var before = await InitiativeCount();

        var preview = await CliRun.Of("import", Export(file), "--preview", "--data-dir", Data);

        Assert.True(preview.ExitCode == 0, preview.Stderr);
        Assert.Contains($"{file}: a {tracker} export.", preview.Stdout);
        Assert.Contains(column, preview.Stdout);
        Assert.Contains("Estimates: 1 point = 0.2 weeks, rounded up to whole weeks", preview.Stdout);
        Assert.Contains("Creates ", preview.Stdout);
        Assert.Equal(before, await InitiativeCount()); // nothing saved

        var import = await CliRun.Of("import", Export(file), "--data-dir", Data);

        Assert.True(import.ExitCode == 0, import.Stderr);
        Assert.Contains($"From the {tracker} export: ", import.Stdout);
        Assert.Equal(weeks, (await Initiative(estimated)).GetProperty("durationWeeks").GetInt32());
        if (predecessor is not null)
            Assert.Equal(predecessor, (await Initiative(dependent)).GetProperty("dependsOn")[0].GetString());
        Assert.Equal(TrackerName(tracker), (await Initiative(estimated)).GetProperty("source").GetString());

        var again = await CliRun.Of("import", Export(file), "--data-dir", Data);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("export: 0 created, ", again.Stdout);  // a re-import updates in place
        var created = int.Parse(preview.Stdout.Split("Creates ")[1].Split(':')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(before + created, await InitiativeCount());
    }

    private static string TrackerName(string title) => title switch
    {
        "GitHub Projects" => "github-projects",
        _ => title.ToLowerInvariant(),
    };

    [Fact]
    public async Task A_mapping_written_edited_and_saved_is_used_by_later_imports()
    {
        var mappingFile = work.File("jira-mapping.json");
        var preview = await CliRun.Of("import", Export("jira.csv"), "--preview", "--write-mapping", mappingFile, "--data-dir", Data);
        Assert.True(preview.ExitCode == 0, preview.Stderr);
        var text = await File.ReadAllTextAsync(mappingFile);
        Assert.Contains("\"weeksPerUnit\": 0.2", text);
        await File.WriteAllTextAsync(mappingFile, text.Replace("\"weeksPerUnit\": 0.2", "\"weeksPerUnit\": 1", StringComparison.Ordinal));

        var saved = await CliRun.Of("import", Export("jira.csv"), "--mapping", mappingFile, "--save-mapping", "--data-dir", Data);
        Assert.True(saved.ExitCode == 0, saved.Stderr);
        Assert.Equal(13, (await Initiative("LL-101")).GetProperty("durationWeeks").GetInt32());

        var later = await CliRun.Of("import", Export("jira.csv"), "--preview", "--data-dir", Data);
        Assert.Contains("Estimates: 1 point = 1 weeks", later.Stdout);
    }

    [Fact]
    public async Task Issues_gone_from_the_export_are_listed_and_kept_unless_removal_is_asked_for()
    {
        Assert.Equal(0, (await CliRun.Of("import", Export("jira.csv"), "--data-dir", Data)).ExitCode);
        var shorter = work.File("jira-newer.csv");
        await File.WriteAllLinesAsync(shorter, (await File.ReadAllLinesAsync(Export("jira.csv"))).Where(l => !l.Contains(",LL-106,", StringComparison.Ordinal)));

        var kept = await CliRun.Of("import", shorter, "--data-dir", Data);
        Assert.True(kept.ExitCode == 0, kept.Stderr);
        Assert.Contains("1 no longer in the export kept (LL-106)", kept.Stdout);

        var preview = await CliRun.Of("import", shorter, "--preview", "--remove-missing", "--data-dir", Data);
        Assert.Contains("No longer in the export 1: LL-106 — removed.", preview.Stdout);
        var removed = await CliRun.Of("import", shorter, "--remove-missing", "--data-dir", Data);
        Assert.Contains("1 no longer in the export removed (LL-106)", removed.Stdout);
    }

    [Fact]
    public async Task A_bad_mapping_file_is_refused_and_nothing_is_imported()
    {
        var mappingFile = work.File("bad.json");
        await File.WriteAllTextAsync(mappingFile, "{\"format\": \"jira\", \"estimateUnit\": \"parsecs\"}");

        var run = await CliRun.Of("import", Export("jira.csv"), "--mapping", mappingFile, "--data-dir", Data);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("planner: cannot use the mapping bad.json: Unknown estimate unit 'parsecs'", run.Stderr);
    }
}
