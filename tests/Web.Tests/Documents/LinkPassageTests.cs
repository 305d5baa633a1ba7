using Microsoft.Extensions.DependencyInjection;
using Planner.Roadmaps;
using Planner.Web.Components.Pages.Documents;
using Planner.Web.Services;

namespace Planner.Web.Tests.Documents;

/// <summary>"Link to initiative…" under a document passage, over the real store: the selected words (or the whole
/// passage) become evidence linked by hand, exactly as a link made on the Roadmap's evidence.</summary>
public sealed class LinkPassageTests : SampleStoreContext
{
    private const string Passage = "Three firms said bank feeds would save them a day at every month-end close.";

    private IRenderedComponent<LinkPassage> Render(string selection)
    {
        Services.AddSingleton(new CurrentWorkspace(Store));
        JSInterop.Setup<string>("plannerSelectionWithin", _ => true).SetResult(selection);
        return Render<LinkPassage>(ps => ps
            .Add(p => p.FileName, "interviews.md")
            .Add(p => p.Citation, "interviews.md, lines 4–9")
            .Add(p => p.Text, Passage));
    }

    [Fact]
    public async Task The_selected_words_are_linked_to_the_chosen_initiative_with_their_importance()
    {
        var target = Workspace.Initiatives[2];
        var link = Render("bank feeds would save them a day");
        link.Find("[data-testid=link-passage]").Click();
        link.WaitForAssertion(() => Assert.Equal("bank feeds would save them a day", link.Find("[data-testid=link-passage-text]").GetAttribute("value")));

        link.Find("[data-testid=link-passage-submit]").Click();
        link.WaitForAssertion(() => Assert.Equal("Choose the initiative this passage is evidence for.", link.Find("[data-testid=link-passage-error]").TextContent));
        Assert.Empty(await Initiatives.EvidenceLinksAsync(Workspace.Name));

        link.Find("[data-testid=link-passage-initiative]").Change(target.Key);
        link.Find("[data-testid=link-passage-importance]").Change(nameof(EvidenceImportance.High));
        link.Find("[data-testid=link-passage-submit]").Click();
        link.WaitForAssertion(() => Assert.Equal($"Linked to {target.Key} {target.Title} (high importance).", link.Find("[data-testid=link-passage-done]").TextContent));

        var saved = Assert.Single(await Initiatives.EvidenceLinksAsync(Workspace.Name));
        Assert.Equal((target.Key, "interviews.md, lines 4–9", "bank feeds would save them a day", "interviews.md", EvidenceDecision.Linked, EvidenceImportance.High),
            (saved.InitiativeKey, saved.ReviewId, saved.Text, saved.Source, saved.Decision, saved.Importance));
        var evidence = (await Store.LoadAsync(Workspace.Name))!.FindInitiative(target.Key)!.Evidence!;
        Assert.Equal(1, evidence.Linked);
    }

    [Fact]
    public async Task Without_a_selection_the_whole_passage_is_offered_and_an_initiative_deleted_meanwhile_saves_nothing()
    {
        var target = Workspace.Initiatives[^1]; // an idea nothing depends on, so it can be deleted
        var link = Render("");
        link.Find("[data-testid=link-passage]").Click();
        link.WaitForAssertion(() => Assert.Equal(Passage, link.Find("[data-testid=link-passage-text]").GetAttribute("value")));
        link.Find("[data-testid=link-passage-initiative]").Change(target.Key);

        var current = (await Store.LoadAsync(Workspace.Name))!.FindInitiative(target.Key)!;
        var deleted = await Initiatives.DeleteInitiativeAsync(Workspace.Name, target.Key, current.Version);
        Assert.True(deleted.Ok, deleted.Message);
        link.Find("[data-testid=link-passage-submit]").Click();
        link.WaitForAssertion(() => Assert.Contains("was deleted meanwhile; nothing was saved", link.Find("[data-testid=link-passage-error]").TextContent));
        Assert.Empty(await Initiatives.EvidenceLinksAsync(Workspace.Name));
    }
}
