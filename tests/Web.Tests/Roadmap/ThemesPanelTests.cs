using Microsoft.Extensions.DependencyInjection;
using Planner.Documents;
using Planner.Hosting.Evidence;
using Planner.Llm;
using Planner.Persistence;
using Planner.Roadmaps;
using Planner.Web.Components.Pages.Roadmap;

namespace Planner.Web.Tests.Roadmap;

/// <summary>The Evidence tab's themes over a real library (SQLite and a Lucene index) holding the sample reviews: find
/// themes, link one to an initiative, and link it again without overriding the founder's earlier decisions.</summary>
public sealed class ThemesPanelTests : SampleStoreContext, IDisposable
{
    private DocumentIndex? index;
    private OpenAiTestServer? server;
    private readonly HttpClient http = OpenAiCompatibilityHandler.CreateClient();

    private async Task<DocumentLibrary> LibraryAsync(params (string Name, byte[] Content)[] files)
    {
        index = new DocumentIndex(Path.Combine(Paths.DataDirectory, "index"));
        var library = new DocumentLibrary(Factory, index, Paths, TimeProvider.System);
        foreach (var (name, content) in files) Assert.True((await library.AddAsync(name, content)).Ok);
        Services.AddSingleton(new ReviewEvidenceService(Paths, library, Store, Initiatives));
        // The chat model the founder chose: an OpenAI-compatible server on 127.0.0.1 answering from a script.
        server = await OpenAiTestServer.StartAsync();
        Services.AddSingleton<IChatBackendProvider>(new ServerBackend(new ChatBackend(
            ChatBackendProvider.Create(new OpenAiEndpointSettings { BaseUrl = server.BaseUrl.ToString(), Model = "namer-7b" }, http),
            ChatBackendKind.OpenAiCompatible, "namer-7b", 4096)));
        Services.AddSingleton(new LanguageModelRuntime(new ModelRegistry([Path.Combine(Paths.DataDirectory, "models")])));
        Services.AddSingleton(new Planner.Assistant.Labelling.ThemeNamer(Planner.Assistant.PromptLibrary.Load(Planner.Assistant.PromptLibrary.DefaultFolder)));
        return library;
    }

    private sealed class ServerBackend(ChatBackend backend) : IChatBackendProvider
    {
        public ChatBackend? Current(out string? problem)
        {
            problem = null;
            return backend;
        }
    }

    /// <summary>The panel over the sample reviews with three themes found, and their names by their terms.</summary>
    private async Task<(IRenderedComponent<ThemesPanel> Panel, List<string> ByTerms)> ThreeThemesAsync()
    {
        await LibraryAsync(("reviews.csv", await File.ReadAllBytesAsync(RepositoryRoot.SampleData("reviews.csv"))));
        var panel = Render<ThemesPanel>(ps => ps.Add(p => p.Workspace, Workspace));
        panel.Find("#themes-count").Change("3");
        panel.Find("#find-themes").Click();
        panel.WaitForAssertion(() => Assert.Equal(3, panel.FindAll("[data-testid=theme]").Count), TimeSpan.FromSeconds(30));
        return (panel, [.. panel.FindAll("[data-testid=theme-name]").Select(n => n.TextContent)]);
    }

    [Fact]
    public async Task The_chat_model_names_the_themes_and_a_name_it_gets_wrong_keeps_the_terms_name()
    {
        var (panel, byTerms) = await ThreeThemesAsync();
        server!.EnqueueText("""{"name": "Bank feed sync"}""");
        server.EnqueueText("""{"name": "This theme is about many things that customers wrote"}""");
        server.EnqueueText("""{"name": "Invoice reminders"}""");

        panel.Find("[data-testid=themes-name-with-model]").Click();
        panel.WaitForAssertion(() => Assert.Equal(["Bank feed sync", byTerms[1], "Invoice reminders"],
            panel.FindAll("[data-testid=theme-name]").Select(n => n.TextContent)), TimeSpan.FromSeconds(30));
        Assert.Equal($"Named by namer-7b from its terms and reviews; by its terms: {byTerms[0]}", panel.FindAll("[data-testid=theme-named-by]")[0].TextContent);
        Assert.Equal(2, panel.FindAll("[data-testid=theme-named-by]").Count);
        Assert.Contains("not a name of one to 5 words", panel.Find("[data-testid=themes-naming-problems]").TextContent);
        Assert.Equal(3, server.Requests.Count);
        Assert.Contains($"Its most distinctive terms: ", server.Requests[0].Messages[^1]!["content"]!.GetValue<string>());

        // A new initiative from a named theme takes the model's name.
        panel.FindAll("[data-testid=theme-new-initiative]")[0].Click();
        var key = Workspace.NextInitiativeKey();
        panel.WaitForAssertion(() => Assert.StartsWith($"Added {key} “Theme: Bank feed sync” as an idea", panel.Find("[data-testid=theme-linked]").TextContent),
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Stopping_the_naming_keeps_the_names_given_so_far_and_the_terms_names_of_the_rest()
    {
        var (panel, byTerms) = await ThreeThemesAsync();
        Assert.Empty(panel.FindAll("[data-testid=themes-naming-stop]"));
        server!.EnqueueText("""{"name": "Bank feed sync"}""");
        var held = server.EnqueueHold(); // the second theme's answer does not come

        panel.Find("[data-testid=themes-name-with-model]").Click();
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        panel.Find("[data-testid=themes-naming-stop]").Click();

        panel.WaitForAssertion(() => Assert.Equal(["Bank feed sync", byTerms[1], byTerms[2]],
            panel.FindAll("[data-testid=theme-name]").Select(n => n.TextContent)), TimeSpan.FromSeconds(30));
        Assert.Equal("Stopped: 1 of 3 themes named; the others keep their terms' names.", panel.Find("[data-testid=themes-naming-problems]").TextContent.Trim());
        Assert.Empty(panel.FindAll("[data-testid=themes-naming-stop]"));
        Assert.Empty(panel.FindAll("[data-testid=themes-error]"));
        Assert.Equal(2, server.Requests.Count); // the third theme was not asked about
    }

    [Fact]
    public async Task A_founder_finds_the_themes_links_one_to_an_initiative_and_a_second_link_keeps_the_earlier_decisions()
    {
        await LibraryAsync(("reviews.csv", await File.ReadAllBytesAsync(RepositoryRoot.SampleData("reviews.csv"))));
        var target = Workspace.Initiatives[4];
        var panel = Render<ThemesPanel>(ps => ps.Add(p => p.Workspace, Workspace));

        panel.Find("#themes-count").Change("4");
        panel.Find("#find-themes").Click();
        panel.WaitForAssertion(() => Assert.Equal(4, panel.FindAll("[data-testid=theme]").Count), TimeSpan.FromSeconds(30));
        Assert.StartsWith("4 themes in 212 reviews, found from the text alone", panel.Find("[data-testid=themes-summary]").TextContent.Trim());
        var sizes = panel.FindAll("[data-testid=theme-size]").Select(s => int.Parse(s.TextContent.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(212, sizes.Sum());
        Assert.Equal(sizes.OrderDescending(), sizes);
        Assert.StartsWith("Reviews per month: 2026-01 ", panel.Find("[data-testid=theme-months]").GetAttribute("aria-label"));

        // One review of the smallest theme was rejected for the target before: linking the theme leaves it rejected.
        var last = panel.FindAll("[data-testid=theme]").Count - 1;
        var rejectedId = panel.FindAll("[data-testid=theme]")[last].QuerySelector("ul li span")!.TextContent.Trim('(', ')');
        Assert.True((await Initiatives.DecideEvidenceAsync(Workspace.Name, new EvidenceLink
        {
            InitiativeKey = target.Key, ReviewId = rejectedId, Text = "not about this", Decision = EvidenceDecision.Rejected,
        })).Ok);

        panel.Find($"#theme-target-{last}").Change(target.Key);
        panel.FindAll("[data-testid=theme-link]")[last].Click();
        panel.WaitForAssertion(() => Assert.Equal(
            $"Linked {sizes[last] - 1} reviews to {target.Key}; 1 already decided there were left as they were.",
            panel.Find("[data-testid=theme-linked]").TextContent), TimeSpan.FromSeconds(30));
        var links = (await Initiatives.EvidenceLinksAsync(Workspace.Name)).Where(l => l.InitiativeKey == target.Key).ToList();
        Assert.Equal(sizes[last], links.Count);
        Assert.Equal(EvidenceDecision.Rejected, links.Single(l => l.ReviewId == rejectedId).Decision);
        Assert.All(links.Where(l => l.ReviewId != rejectedId), l => Assert.Equal(EvidenceDecision.Linked, l.Decision));
        Assert.Equal(sizes[last] - 1, (await Store.LoadAsync(Workspace.Name))!.FindInitiative(target.Key)!.Evidence!.Linked);

        panel.FindAll("[data-testid=theme-link]")[last].Click();
        panel.WaitForAssertion(() => Assert.Equal(
            $"Linked 0 reviews to {target.Key}; {sizes[last]} already decided there were left as they were.",
            panel.Find("[data-testid=theme-linked]").TextContent), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_theme_becomes_a_new_idea_with_its_reviews_linked()
    {
        await LibraryAsync(("reviews.csv", await File.ReadAllBytesAsync(RepositoryRoot.SampleData("reviews.csv"))));
        var panel = Render<ThemesPanel>(ps => ps.Add(p => p.Workspace, Workspace));
        panel.Find("#themes-count").Change("3");
        panel.Find("#find-themes").Click();
        panel.WaitForAssertion(() => Assert.Equal(3, panel.FindAll("[data-testid=theme]").Count), TimeSpan.FromSeconds(30));
        var name = panel.FindAll("[data-testid=theme-name]")[0].TextContent;
        var size = int.Parse(panel.FindAll("[data-testid=theme-size]")[0].TextContent.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        panel.FindAll("[data-testid=theme-new-initiative]")[0].Click();
        var key = Workspace.NextInitiativeKey();
        // One decision per review, each its own transaction: seconds for the largest theme on a busy machine.
        panel.WaitForAssertion(() => Assert.Equal($"Added {key} “Theme: {name}” as an idea with its {size} reviews linked.", panel.Find("[data-testid=theme-linked]").TextContent),
            TimeSpan.FromSeconds(30));
        Assert.Equal($"roadmap?initiative={key}", panel.Find("[data-testid=theme-created]").GetAttribute("href"));

        var added = (await Store.LoadAsync(Workspace.Name))!.FindInitiative(key)!;
        Assert.Equal(($"Theme: {name}", InitiativeStatus.Idea, size), (added.Title, added.Status, added.Evidence!.Linked));
        Assert.StartsWith($"From customer reviews: {size} reviews about ", added.Description);
    }

    [Fact]
    public async Task A_file_with_too_few_reviews_says_so_and_shows_no_themes()
    {
        var few = "id,text\n" + string.Join("\n", Enumerable.Range(1, 5).Select(i => $"r{i},Bank feeds broke {i}")) + "\n";
        await LibraryAsync(("few-reviews.csv", System.Text.Encoding.UTF8.GetBytes(few)));
        var panel = Render<ThemesPanel>(ps => ps.Add(p => p.Workspace, Workspace));
        panel.Find("#find-themes").Click();
        panel.WaitForAssertion(() => Assert.Equal("5 texts are too few to group into themes; at least 10 are needed.", panel.Find("[data-testid=themes-error]").TextContent));
        Assert.Empty(panel.FindAll("[data-testid=theme]"));
    }

    public new void Dispose()
    {
        if (server is not null) server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        http.Dispose();
        index?.Dispose();
        base.Dispose();
    }
}
