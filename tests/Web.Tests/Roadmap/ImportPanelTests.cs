using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Planner.Interchange;
using Planner.Persistence;
using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>Uploading roadmap files in the browser, over a real store on a real SQLite file.</summary>
public sealed class ImportPanelTests : SampleStoreContext
{
    private readonly List<string> imported = [];

    public ImportPanelTests()
    {
        Services.AddSingleton(sp => new RoadmapTransfer(sp.GetRequiredService<RoadmapStore>(), sp.GetRequiredService<ImportMappingStore>()));
    }

    private IRenderedComponent<ImportPanel> RenderPanel() =>
        Render<ImportPanel>(ps => ps.Add(p => p.WorkspaceName, "Ledgerloom").Add(p => p.Imported, name => imported.Add(name)));

    [Fact]
    public async Task A_bad_csv_lists_every_problem_and_changes_nothing()
    {
        var before = RoadmapJson.Serialize((await Store.LoadAsync())!);
        var panel = RenderPanel();
        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("id,title,estimate,depends on\nx1,New,three,\nx2,Other,2,i999\n", "backlog.csv"));
        panel.WaitForElement("[data-testid=import-outcome]");
        var text = panel.Find("[data-testid=import-outcome]").TextContent;
        Assert.Contains("Nothing was imported from backlog.csv.", text);
        Assert.Contains("'three' is not a whole number of weeks", text);
        Assert.Contains("Unknown initiative 'i999'", text);
        Assert.Empty(imported);
        Assert.Equal(before, RoadmapJson.Serialize((await Store.LoadAsync())!));
    }

    [Fact]
    public async Task A_good_csv_is_merged_and_the_previous_roadmap_kept()
    {
        var panel = RenderPanel();
        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText("Summary,Estimate,Team,Depends on\nUsage billing,4w,Backend,i1\n", "jira.csv"));
        panel.WaitForAssertion(() => Assert.Equal(["Ledgerloom"], imported));
        Assert.Contains("kept as version", panel.Find("[data-testid=import-outcome]").TextContent);
        var saved = (await Store.LoadAsync())!;
        Assert.Equal("Usage billing", saved.Initiatives[^1].Title);
        Assert.Single(await Versions.VersionsAsync("Ledgerloom"));
    }

    [Fact]
    public async Task A_file_over_the_limit_is_refused_without_reading_it()
    {
        var panel = RenderPanel();
        var big = new byte[(int)ImportLimits.MaxFileBytes + 1];
        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(big, "huge.json"));
        panel.WaitForElement("[data-testid=import-outcome]");
        Assert.Contains("is 10 MB; roadmap files are limited to 10 MB. Nothing was imported.", panel.Find("[data-testid=import-outcome]").TextContent);
        Assert.Empty(await Versions.VersionsAsync("Ledgerloom"));
    }

    private static byte[] Export(string name) => File.ReadAllBytes(RepositoryRoot.File("tests", "TrackerExports", name));

    [Fact]
    public async Task A_trackers_export_is_previewed_and_saved_only_when_the_founder_imports_it()
    {
        var before = RoadmapJson.Serialize((await Store.LoadAsync())!);
        var panel = RenderPanel();
        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Export("jira.csv"), "jira.csv"));

        panel.WaitForElement("[data-testid=import-preview]");
        Assert.Contains("a Jira export", panel.Find("[data-testid=import-preview]").TextContent);
        Assert.Contains("Creates 4: LL-101, LL-104, LL-105, LL-106", panel.Find("[data-testid=preview-counts]").TextContent);
        Assert.Equal(before, RoadmapJson.Serialize((await Store.LoadAsync())!));

        panel.Find("[data-testid=mapping-factor]").Change("1");
        panel.Find("[data-testid=mapping-apply]").Click();
        panel.Find("[data-testid=import-confirm]").Click();

        panel.WaitForAssertion(() => Assert.Equal(["Ledgerloom"], imported));
        Assert.Contains("From the Jira export: 4 created, 0 updated.", panel.Find("[data-testid=import-outcome]").TextContent);
        Assert.Equal(13, (await Store.LoadAsync())!.FindInitiative("LL-101")!.DurationWeeks);
    }

    [Fact]
    public async Task A_saved_mapping_is_used_by_the_next_preview_of_that_trackers_export()
    {
        var panel = RenderPanel();
        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Export("linear.csv"), "linear.csv"));
        panel.WaitForElement("[data-testid=import-preview]");
        panel.Find("[data-testid=mapping-unit]").Change("days");
        panel.Find("[data-testid=mapping-save]").Click();
        Assert.Contains("Saved: later Linear imports into Ledgerloom use this mapping.", panel.Find("[data-testid=mapping-message]").TextContent);

        var again = RenderPanel();
        again.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(Export("linear.csv"), "linear.csv"));
        again.WaitForElement("[data-testid=import-preview]");
        Assert.Equal("days", again.Find("[data-testid=mapping-unit]").GetAttribute("value"));
        Assert.Equal("days", (await Mappings.FindAsync("Ledgerloom", TrackerFormat.Linear))!.EstimateUnit);
    }

    [Fact]
    public async Task A_renamed_column_is_named_in_the_preview_and_mapping_it_makes_the_file_importable()
    {
        var csv = "Zusammenfassung,Issue key,Issue id,Issue Type,Status,Custom field (Story Points)\nBank feeds,LL-1,1,Story,To Do,5\n";
        var panel = RenderPanel();
        panel.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(csv, "jira-de.csv"));

        panel.WaitForElement("[data-testid=preview-problems]");
        Assert.Contains("Columns not recognised: 'Zusammenfassung'.", panel.Find("[data-testid=preview-problems]").TextContent);
        Assert.True(panel.Find("[data-testid=import-confirm]").HasAttribute("disabled"));

        panel.Find("[data-testid=mapping-column][data-column=Zusammenfassung]").Change("title");
        panel.Find("[data-testid=mapping-apply]").Click();
        panel.WaitForAssertion(() => Assert.Empty(panel.FindAll("[data-testid=preview-problems]")));
        panel.Find("[data-testid=import-confirm]").Click();

        panel.WaitForAssertion(() => Assert.Equal(["Ledgerloom"], imported));
        Assert.Equal("Bank feeds", (await Store.LoadAsync())!.FindInitiative("LL-1")!.Title);
    }
}
